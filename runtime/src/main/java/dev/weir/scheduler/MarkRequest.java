package dev.weir.scheduler;

import dev.weir.state.TaskState;
import java.util.List;

/**
 * Which task instances of one run to mark, and as what (Airflow's "Mark Success" and "Mark
 * Failed").
 *
 * @param taskIds the tasks to mark, at least one
 * @param mapIndex the one instance of each (mapped) task to mark, or null for all its instances
 * @param state success or failed
 * @param upstream also mark every task upstream of a named one, in all its instances
 * @param downstream also mark every task downstream of a named one, in all its instances
 */
public record MarkRequest(
    String dagId,
    String runId,
    List<String> taskIds,
    Integer mapIndex,
    TaskState state,
    boolean upstream,
    boolean downstream) {

  public MarkRequest {
    taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
  }
}
