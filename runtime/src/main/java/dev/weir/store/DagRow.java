package dev.weir.store;

import java.time.Instant;

/**
 * A DAG as the store knows it.
 *
 * @param file the display path of its script, such as {@code dags/etl.groovy}
 * @param active false once its file is gone or no longer defines it
 * @param versionId the version the next run will use, or null before the first save
 * @param nextRunAt the logical date of the next scheduled run, or null when none is due
 */
public record DagRow(
    String dagId,
    String file,
    boolean paused,
    boolean active,
    Instant lastParsedAt,
    Long versionId,
    Instant nextRunAt) {}
