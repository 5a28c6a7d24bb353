package dev.weir.store;

import java.time.Instant;

/**
 * A recorded update of a dataset.
 *
 * @param sourceRunPk the producing run's key, or null once that run was cleaned away
 */
public record DatasetEventRow(
    long id,
    String uri,
    String sourceDagId,
    String sourceRunId,
    Long sourceRunPk,
    String sourceTaskId,
    Instant createdAt) {}
