package dev.weir.scheduler;

import dev.weir.state.TaskState;
import dev.weir.store.TaskInstanceRow;
import java.time.Instant;

/** Small copies-with-changes of task instance rows, so the scheduler reads as what it does. */
final class TaskInstances {
  private TaskInstances() {}

  static TaskInstanceRow fresh(long runPk, String taskId, int maxTries) {
    return new TaskInstanceRow(runPk, taskId, TaskState.NONE, 0, maxTries, null, null, null, null);
  }

  static TaskInstanceRow withState(TaskInstanceRow row, TaskState state) {
    return new TaskInstanceRow(
        row.runPk(),
        row.taskId(),
        state,
        row.tryNumber(),
        row.maxTries(),
        row.startDate(),
        row.endDate(),
        row.nextTryAt(),
        row.error());
  }

  /** Decided without running (skipped or upstream_failed): it starts and ends now. */
  static TaskInstanceRow decided(TaskInstanceRow row, TaskState state, Instant now) {
    return new TaskInstanceRow(
        row.runPk(), row.taskId(), state, row.tryNumber(), row.maxTries(), now, now, null, null);
  }

  static TaskInstanceRow started(TaskInstanceRow row, Instant now) {
    return new TaskInstanceRow(
        row.runPk(),
        row.taskId(),
        TaskState.RUNNING,
        row.tryNumber() + 1,
        row.maxTries(),
        now,
        null,
        null,
        null);
  }

  static TaskInstanceRow ended(
      TaskInstanceRow row, TaskState state, Instant now, Instant nextTryAt, String error) {
    return new TaskInstanceRow(
        row.runPk(),
        row.taskId(),
        state,
        row.tryNumber(),
        row.maxTries(),
        row.startDate(),
        now,
        nextTryAt,
        error);
  }

  /** Cleared by a user: runs again, with its retries counted from its next try. */
  static TaskInstanceRow cleared(TaskInstanceRow row, int retries) {
    return new TaskInstanceRow(
        row.runPk(),
        row.taskId(),
        TaskState.NONE,
        row.tryNumber(),
        row.tryNumber() + retries + 1,
        null,
        null,
        null,
        null);
  }
}
