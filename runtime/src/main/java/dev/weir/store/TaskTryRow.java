package dev.weir.store;

import dev.weir.state.TaskState;
import java.time.Instant;

/**
 * One try of a task instance.
 *
 * @param state running while it runs, then how it ended (failed when it was interrupted)
 * @param schedulerId the scheduler process that ran it
 * @param mapIndex the index of a mapped task's instance, or -1
 */
public record TaskTryRow(
    long runPk,
    String taskId,
    int tryNumber,
    TaskState state,
    Instant startDate,
    Instant endDate,
    String hostname,
    String schedulerId,
    String error,
    int mapIndex) {

  /** A try of a task that is not mapped. */
  public TaskTryRow(
      long runPk,
      String taskId,
      int tryNumber,
      TaskState state,
      Instant startDate,
      Instant endDate,
      String hostname,
      String schedulerId,
      String error) {
    this(runPk, taskId, tryNumber, state, startDate, endDate, hostname, schedulerId, error, -1);
  }
}
