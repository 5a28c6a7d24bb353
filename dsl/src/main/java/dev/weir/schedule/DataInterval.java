package dev.weir.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * The span of data a DAG run processes, {@code [start, end)} in UTC. The logical date of the run is
 * its start. For {@code @once} and manual-only DAGs start and end are equal.
 */
public record DataInterval(Instant start, Instant end) {

  /** Checks that both ends are given and that {@code end} is not before {@code start}. */
  public DataInterval {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException(
          "data interval end " + end + " is before its start " + start);
    }
  }

  /** The logical date of the run that processes this interval (Airflow's {@code logical_date}). */
  public Instant logicalDate() {
    return start;
  }
}
