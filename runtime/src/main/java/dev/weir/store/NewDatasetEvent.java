package dev.weir.store;

import java.time.Instant;

/**
 * An update of a dataset to record: a try of {@code sourceTaskId}, which lists the dataset in its
 * outlets, succeeded.
 */
public record NewDatasetEvent(
    String uri,
    String sourceDagId,
    String sourceRunId,
    long sourceRunPk,
    String sourceTaskId,
    Instant createdAt) {}
