package dev.weir.store;

import dev.weir.state.TaskState;
import java.time.Instant;

/**
 * One task instance of one DAG run: a task, or one instance of a mapped task.
 *
 * @param tryNumber how many tries have started (0 before the first)
 * @param maxTries how many tries it may have in all; clearing it raises this
 * @param nextTryAt when an up_for_retry or up_for_reschedule instance may run again, else null
 * @param error why the latest try failed, or null
 * @param mapIndex the index of a mapped task's instance, or -1
 * @param firstStartDate when its first try since it was created or cleared started, or null
 */
public record TaskInstanceRow(
    long runPk,
    String taskId,
    TaskState state,
    int tryNumber,
    int maxTries,
    Instant startDate,
    Instant endDate,
    Instant nextTryAt,
    String error,
    int mapIndex,
    Instant firstStartDate) {

  /** An instance of a task that is not mapped. */
  public TaskInstanceRow(
      long runPk,
      String taskId,
      TaskState state,
      int tryNumber,
      int maxTries,
      Instant startDate,
      Instant endDate,
      Instant nextTryAt,
      String error) {
    this(
        runPk, taskId, state, tryNumber, maxTries, startDate, endDate, nextTryAt, error, -1,
        startDate);
  }

  /** The instance's name within its run: the task id, with {@code [i]} for a mapped instance. */
  public String key() {
    return key(taskId, mapIndex);
  }

  public static String key(String taskId, int mapIndex) {
    return mapIndex < 0 ? taskId : taskId + "[" + mapIndex + "]";
  }
}
