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

  /** Instance {@code index} of a mapped task, made from its placeholder. */
  static TaskInstanceRow mapped(TaskInstanceRow placeholder, int index) {
    return new TaskInstanceRow(
        placeholder.runPk(),
        placeholder.taskId(),
        TaskState.NONE,
        placeholder.tryNumber(),
        placeholder.maxTries(),
        null,
        null,
        null,
        null,
        index,
        null);
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
        row.error(),
        row.mapIndex(),
        row.firstStartDate());
  }

  /** Decided without running (skipped or upstream_failed): it starts and ends now. */
  static TaskInstanceRow decided(TaskInstanceRow row, TaskState state, Instant now) {
    return decided(row, state, now, null);
  }

  /** Decided without running, with the reason (a mapped task that cannot expand fails so). */
  static TaskInstanceRow decided(TaskInstanceRow row, TaskState state, Instant now, String error) {
    return new TaskInstanceRow(
        row.runPk(),
        row.taskId(),
        state,
        row.tryNumber(),
        row.maxTries(),
        now,
        now,
        null,
        error,
        row.mapIndex(),
        row.firstStartDate());
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
        null,
        row.mapIndex(),
        row.firstStartDate() == null ? now : row.firstStartDate());
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
        error,
        row.mapIndex(),
        row.firstStartDate());
  }

  /**
   * A sensor in reschedule mode will poke again at {@code at}; the poke does not use up one of its
   * tries, so its max tries grow by one.
   */
  static TaskInstanceRow rescheduled(TaskInstanceRow row, Instant now, Instant at) {
    return new TaskInstanceRow(
        row.runPk(),
        row.taskId(),
        TaskState.UP_FOR_RESCHEDULE,
        row.tryNumber(),
        row.maxTries() + 1,
        row.startDate(),
        now,
        at,
        null,
        row.mapIndex(),
        row.firstStartDate());
  }

  /**
   * Marked by a user (success, failed, or skipped when its run is marked failed): it ends now, and
   * one that never started starts now too.
   */
  static TaskInstanceRow marked(TaskInstanceRow row, TaskState state, Instant now, String note) {
    return new TaskInstanceRow(
        row.runPk(),
        row.taskId(),
        state,
        row.tryNumber(),
        row.maxTries(),
        row.startDate() == null ? now : row.startDate(),
        now,
        null,
        note,
        row.mapIndex(),
        row.firstStartDate());
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
        null,
        row.mapIndex(),
        null);
  }
}
