package dev.weir.metrics;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.time.Duration;

/**
 * What the scheduler reports as it works. Called on the scheduler's thread, so an implementation
 * must be quick and must not throw.
 */
public interface SchedulerMetrics {
  /** Reports nothing. */
  SchedulerMetrics NONE = new SchedulerMetrics() {};

  /** One scheduler pass ended. */
  default void passTook(Duration took) {}

  /**
   * A try ended (success, failed, up_for_retry, skipped, up_for_reschedule).
   *
   * @param took from the try's start to its end
   */
  default void tryEnded(String dagId, String taskId, TaskState state, Duration took) {}

  /**
   * A run ended.
   *
   * @param took from the run's start to its end
   */
  default void runEnded(String dagId, RunState state, Duration took) {}

  /** A run of this DAG missed its deadline. */
  default void deadlineMissed(String dagId) {}

  /** The scheduler's counts after a tick; replaces the previous snapshot. */
  default void snapshot(SchedulerSnapshot snapshot) {}
}
