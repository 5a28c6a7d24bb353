package dev.weir.store;

import java.time.Instant;

/** A DAG run to create, in the queued state. */
public record NewRun(
    String dagId,
    String runId,
    RunType type,
    Instant logicalDate,
    Instant intervalStart,
    Instant intervalEnd,
    String conf,
    Instant queuedAt,
    long versionId,
    Long backfillId) {}
