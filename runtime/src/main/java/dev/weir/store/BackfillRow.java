package dev.weir.store;

import java.time.Instant;

/** A backfill: runs over a range of logical dates, limited by its own max active runs. */
public record BackfillRow(
    long id,
    String dagId,
    Instant from,
    Instant to,
    String reprocess,
    int maxActiveRuns,
    Instant createdAt) {}
