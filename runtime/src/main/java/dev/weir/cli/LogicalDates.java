package dev.weir.cli;

import dev.weir.model.DagSpec;
import dev.weir.schedule.DataInterval;
import dev.weir.schedule.Timetable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads logical dates given on the command line and finds the run they stand for. */
final class LogicalDates {
  private LogicalDates() {}

  /**
   * {@code 2025-01-31} (midnight in the DAG's zone), {@code 2025-01-31T06:00} (in the DAG's zone)
   * or a date-time with an offset.
   */
  static Instant parse(String text, ZoneId zone) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(zone).toInstant();
      }
      if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(text).toInstant();
      }
      return LocalDateTime.parse(text).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliException(
          CliException.USAGE,
          "'"
              + text
              + "' is not a logical date; write 2025-01-31, 2025-01-31T06:00 (in the DAG's time"
              + " zone) or 2025-01-31T06:00:00Z");
    }
  }

  /**
   * The run a test stands for: given a date, the first scheduled run at or after it (so {@code
   * 2025-01-31} is that day's run of a daily DAG); given none, the latest run that is due now, or
   * the first run of a DAG that has not started yet.
   */
  static DataInterval testInterval(DagSpec dag, String given, Clock clock) {
    Timetable timetable = dag.timetable();
    if (given == null) {
      Instant now = clock.instant();
      return timetable
          .latestCompleted(now)
          .or(timetable::firstInterval)
          .orElseGet(() -> timetable.intervalFor(now));
    }
    Instant date = parse(given, dag.timezone());
    DataInterval containing = timetable.intervalFor(date);
    if (!containing.start().isBefore(date)) {
      return containing;
    }
    Optional<DataInterval> next = timetable.nextInterval(containing);
    return next.orElse(containing);
  }
}
