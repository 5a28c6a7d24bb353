package dev.weir.metrics;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.time.Instant;
import java.util.Map;

/**
 * The scheduler's unfinished work at one moment, counted from what it holds in memory.
 *
 * @param runs active runs by state (queued, running)
 * @param taskInstances the task instances of active runs by state
 * @param queued instances scheduled and waiting for a free slot
 * @param running tries running now
 * @param pools each pool's slots and the tries running in it
 */
public record SchedulerSnapshot(
    Map<RunState, Integer> runs,
    Map<TaskState, Integer> taskInstances,
    int queued,
    int running,
    Map<String, PoolUsage> pools,
    Instant at) {

  public SchedulerSnapshot {
    runs = Map.copyOf(runs);
    taskInstances = Map.copyOf(taskInstances);
    pools = Map.copyOf(pools);
  }

  /** Slots of a pool and how many of them are taken. */
  public record PoolUsage(int slots, int running) {}
}
