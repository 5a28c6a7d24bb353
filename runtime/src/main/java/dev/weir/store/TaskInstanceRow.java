package dev.weir.store;

import dev.weir.state.TaskState;
import java.time.Instant;

/**
 * One task of one DAG run.
 *
 * @param tryNumber how many tries have started (0 before the first)
 * @param maxTries how many tries it may have in all; clearing it raises this
 * @param nextTryAt when an up_for_retry instance may run again, else null
 * @param error why the latest try failed, or null
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
    String error) {}
