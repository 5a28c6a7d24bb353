package dev.weir.sensors;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What sensors and {@code triggerDagRun} read and write of other DAGs' runs: the metadata store in
 * the scheduler, the store of {@code WEIR_HOME} in {@code weir dags test}. Thread-safe.
 */
public interface RunLookup {

  /** A run this lookup created or found. */
  record TriggeredRun(String runId, Instant logicalDate, boolean created, boolean dagPaused) {}

  /**
   * The state of a task in the DAG's run at this logical date; empty when there is no such run or
   * the run has no such task.
   */
  Optional<TaskState> taskState(String dagId, Instant logicalDate, String taskId);

  /** The state of the DAG's run at this logical date; empty when there is none. */
  Optional<RunState> runState(String dagId, Instant logicalDate);

  /** The state of the DAG's run with this run id; empty when there is none. */
  Optional<RunState> runState(String dagId, String runId);

  /**
   * Queues a manual run of the DAG with this run id, or finds the one that has it already, so that
   * a task that triggers again (a later poke, a retry) does not create a second run.
   *
   * @param logicalDate the run's logical date, or null for now
   * @throws IllegalArgumentException when the DAG is unknown or has another run at that logical
   *     date
   */
  TriggeredRun trigger(String dagId, String runId, Map<String, Object> conf, Instant logicalDate);

  /** Thrown by a lookup that has no metadata store behind it. */
  final class Unavailable extends IllegalStateException {
    public Unavailable(String why) {
      super(why);
    }
  }

  /** A lookup for places without a metadata store: every call throws {@link Unavailable}. */
  static RunLookup unavailable(String why) {
    return new RunLookup() {
      @Override
      public Optional<TaskState> taskState(String dagId, Instant logicalDate, String taskId) {
        throw new Unavailable(why);
      }

      @Override
      public Optional<RunState> runState(String dagId, Instant logicalDate) {
        throw new Unavailable(why);
      }

      @Override
      public Optional<RunState> runState(String dagId, String runId) {
        throw new Unavailable(why);
      }

      @Override
      public TriggeredRun trigger(
          String dagId, String runId, Map<String, Object> conf, Instant logicalDate) {
        throw new Unavailable(why);
      }
    };
  }
}
