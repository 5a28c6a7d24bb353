package dev.weir.state;

import static dev.weir.state.TaskState.FAILED;
import static dev.weir.state.TaskState.NONE;
import static dev.weir.state.TaskState.QUEUED;
import static dev.weir.state.TaskState.REMOVED;
import static dev.weir.state.TaskState.RUNNING;
import static dev.weir.state.TaskState.SCHEDULED;
import static dev.weir.state.TaskState.SKIPPED;
import static dev.weir.state.TaskState.SUCCESS;
import static dev.weir.state.TaskState.UPSTREAM_FAILED;
import static dev.weir.state.TaskState.UP_FOR_RESCHEDULE;
import static dev.weir.state.TaskState.UP_FOR_RETRY;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place that says which state changes are allowed, for task instances and DAG runs. Every
 * state change in Weir goes through {@link #check}; an illegal one throws.
 */
public final class Transitions {
  private static final Map<TaskState, Set<TaskState>> TASK = new EnumMap<>(TaskState.class);
  private static final Map<RunState, Set<RunState>> RUN = new EnumMap<>(RunState.class);
  private static final Map<RunState, Set<RunState>> RUN_MARK = new EnumMap<>(RunState.class);

  static {
    // The scheduler's path: none → scheduled → queued → running → an outcome.
    // None → failed: a mapped task whose list cannot be read or is too long fails without a try.
    TASK.put(NONE, EnumSet.of(SCHEDULED, SKIPPED, UPSTREAM_FAILED, REMOVED, FAILED));
    TASK.put(SCHEDULED, EnumSet.of(QUEUED, NONE, SKIPPED, UPSTREAM_FAILED, REMOVED));
    // A queued try that never started (its worker died) is failed or retried.
    TASK.put(QUEUED, EnumSet.of(RUNNING, SCHEDULED, NONE, FAILED, UP_FOR_RETRY));
    TASK.put(RUNNING, EnumSet.of(SUCCESS, FAILED, SKIPPED, UP_FOR_RETRY, UP_FOR_RESCHEDULE));
    // Skipped: a user marks the run failed while it waits for its next try.
    TASK.put(UP_FOR_RETRY, EnumSet.of(SCHEDULED, NONE, SKIPPED));
    TASK.put(UP_FOR_RESCHEDULE, EnumSet.of(SCHEDULED, NONE, SKIPPED));
    // Finished instances change only when a user clears them (back to none).
    TASK.put(SUCCESS, EnumSet.of(NONE));
    TASK.put(FAILED, EnumSet.of(NONE));
    TASK.put(SKIPPED, EnumSet.of(NONE));
    TASK.put(UPSTREAM_FAILED, EnumSet.of(NONE));
    TASK.put(REMOVED, EnumSet.of(NONE));

    RUN.put(RunState.QUEUED, EnumSet.of(RunState.RUNNING, RunState.FAILED));
    RUN.put(RunState.RUNNING, EnumSet.of(RunState.SUCCESS, RunState.FAILED));
    // Clearing tasks of a finished run runs it again.
    RUN.put(RunState.SUCCESS, EnumSet.of(RunState.QUEUED, RunState.RUNNING));
    RUN.put(RunState.FAILED, EnumSet.of(RunState.QUEUED, RunState.RUNNING));

    // A user's mark of a run, or of task instances that decides the run's outcome again. Kept
    // apart from RUN so that the scheduler itself can never, say, finish a run it has not started.
    RUN_MARK.put(RunState.QUEUED, EnumSet.of(RunState.SUCCESS, RunState.FAILED));
    // Queued again: a user re-queues a running run, whose task instances are cleared.
    RUN_MARK.put(RunState.RUNNING, EnumSet.of(RunState.SUCCESS, RunState.FAILED, RunState.QUEUED));
    // A finished run marked the other way, or whose outcome a task mark changed.
    RUN_MARK.put(RunState.SUCCESS, EnumSet.of(RunState.FAILED, RunState.QUEUED));
    RUN_MARK.put(RunState.FAILED, EnumSet.of(RunState.SUCCESS, RunState.QUEUED));
  }

  /** States a user may mark a task instance as, from any state but running and removed. */
  private static final Set<TaskState> MARKABLE = EnumSet.of(SUCCESS, FAILED);

  private Transitions() {}

  public static boolean allowed(TaskState from, TaskState to) {
    return TASK.get(from).contains(to);
  }

  public static boolean allowed(RunState from, RunState to) {
    return RUN.get(from).contains(to);
  }

  /**
   * Checks a task instance's state change made by Weir itself.
   *
   * @throws IllegalTransitionException when the change is not allowed
   */
  public static TaskState check(TaskState from, TaskState to) {
    if (!allowed(from, to)) {
      throw new IllegalTransitionException("a task instance", from, to);
    }
    return to;
  }

  /** Checks a DAG run's state change. */
  public static RunState check(RunState from, RunState to) {
    if (!allowed(from, to)) {
      throw new IllegalTransitionException("a DAG run", from, to);
    }
    return to;
  }

  /**
   * Checks a user's "mark success" or "mark failed": allowed from any state except running (stop
   * the try first) and removed, and to success or failed only.
   */
  public static TaskState checkMark(TaskState from, TaskState to) {
    if (!MARKABLE.contains(to) || from == RUNNING || from == REMOVED || from == to) {
      throw new IllegalTransitionException("marking a task instance", from, to);
    }
    return to;
  }

  /**
   * Checks a user's mark of a DAG run as success or failed, or re-queueing it (queued), and the
   * change of a run's outcome that a mark of its task instances brings: allowed between any two
   * different states, except to running (only the scheduler starts a run).
   */
  public static RunState checkRunMark(RunState from, RunState to) {
    if (!RUN_MARK.get(from).contains(to)) {
      throw new IllegalTransitionException("marking a DAG run", from, to);
    }
    return to;
  }
}
