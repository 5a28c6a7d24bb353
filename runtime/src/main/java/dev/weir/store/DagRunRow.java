package dev.weir.store;

import dev.weir.state.RunState;
import java.time.Instant;

/**
 * A DAG run.
 *
 * @param id the store's key of the run
 * @param runId the user-facing id, such as {@code scheduled__2025-01-01T00:00:00+00:00}
 * @param conf the run's configuration as a JSON object
 * @param backfillId the backfill that created it, or null
 * @param deadlineAt when the run was due, recorded once it missed its deadline; else null
 * @param deadlineMissedAt when the scheduler found the run unfinished past its deadline, or null
 */
public record DagRunRow(
    long id,
    String dagId,
    String runId,
    RunType type,
    Instant logicalDate,
    Instant intervalStart,
    Instant intervalEnd,
    String conf,
    RunState state,
    Instant queuedAt,
    Instant startDate,
    Instant endDate,
    long versionId,
    Long backfillId,
    Instant deadlineAt,
    Instant deadlineMissedAt) {

  public DagRunRow withState(RunState next, Instant start, Instant end) {
    return new DagRunRow(
        id,
        dagId,
        runId,
        type,
        logicalDate,
        intervalStart,
        intervalEnd,
        conf,
        next,
        queuedAt,
        start,
        end,
        versionId,
        backfillId,
        deadlineAt,
        deadlineMissedAt);
  }

  /** Whether the run was found unfinished past its deadline. */
  public boolean missedDeadline() {
    return deadlineMissedAt != null;
  }
}
