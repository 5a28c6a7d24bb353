package dev.weir.store;

import dev.weir.state.TaskState;
import java.time.Instant;

/**
 * One try of a task, with the run it belongs to: a point of a task's duration chart.
 *
 * @param mapIndex the index of a mapped task's instance, or -1
 * @param endDate when the try ended, or null while it runs
 */
public record TaskHistoryRow(
    String runId,
    Instant logicalDate,
    int mapIndex,
    int tryNumber,
    TaskState state,
    Instant startDate,
    Instant endDate) {}
