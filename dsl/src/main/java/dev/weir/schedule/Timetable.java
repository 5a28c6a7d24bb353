package dev.weir.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The data intervals of one DAG: its schedule evaluated in its time zone between its start and end
 * dates, with Airflow 2 semantics. A run's logical date is the start of its interval, and the run
 * is due once the interval has ended.
 *
 * <p>Pure arithmetic: never reads the clock; callers pass {@code now}. Immutable and thread-safe.
 */
public final class Timetable {

  private final Schedule schedule;
  private final ZoneId zone;
  private final Instant startDate;
  private final Instant endDate;
  private final FireTimes fires; // null for @once, none() and datasets
  private final Instant firstLogicalDate; // null for @once, none() and datasets

  /**
   * @param schedule when the DAG runs
   * @param zone the zone cron expressions are evaluated in
   * @param startDate no interval starts before this; may be {@code null} only for {@code none()}
   *     and datasets
   * @param endDate no interval has a logical date after this; {@code null} for no end
   */
  public Timetable(Schedule schedule, ZoneId zone, Instant startDate, Instant endDate) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.zone = Objects.requireNonNull(zone, "zone");
    // A DAG that only runs when triggered needs no start date.
    this.startDate =
        !schedule.timeBased()
            ? startDate
            : Objects.requireNonNull(startDate, "startDate of a scheduled DAG");
    this.endDate = endDate;
    if (schedule instanceof CronSchedule cron) {
      fires = new CronFireTimes(cron.fields(), zone);
    } else if (schedule instanceof DeltaSchedule delta) {
      fires = new DeltaFireTimes(startDate, delta.delta());
    } else {
      fires = null;
    }
    firstLogicalDate = fires == null ? null : fires.next(startDate, true);
  }

  /** The schedule this timetable evaluates. */
  public Schedule schedule() {
    return schedule;
  }

  /** The zone cron expressions are evaluated in. */
  public ZoneId zone() {
    return zone;
  }

  /**
   * The first interval of the DAG. For a cron its logical date is the first cron time at or after
   * the start date; for {@code every(d)} it is {@code [startDate, startDate + d)}; for
   * {@code @once} {@code [startDate, startDate]}. Empty for {@code none()} or when the end date is
   * before it.
   */
  public Optional<DataInterval> firstInterval() {
    if (schedule instanceof OnceSchedule) {
      return withinEnd(startDate) ? Optional.of(point(startDate)) : Optional.empty();
    }
    if (fires == null || !withinEnd(firstLogicalDate)) {
      return Optional.empty();
    }
    return Optional.of(intervalAt(firstLogicalDate));
  }

  /**
   * The interval after {@code previous} (the last run's interval), or empty when the schedule is
   * over: no interval has a logical date after the end date, and {@code @once} has only one.
   */
  public Optional<DataInterval> nextInterval(DataInterval previous) {
    Objects.requireNonNull(previous, "previous");
    if (fires == null) {
      return Optional.empty();
    }
    Instant logicalDate = fires.next(previous.end(), true);
    if (!logicalDate.isAfter(previous.start())) {
      logicalDate = fires.next(previous.start(), false); // a zero-length previous interval
    }
    if (logicalDate.isBefore(firstLogicalDate)) {
      logicalDate = firstLogicalDate;
    }
    return withinEnd(logicalDate) ? Optional.of(intervalAt(logicalDate)) : Optional.empty();
  }

  /**
   * Up to {@code n} intervals that have not ended by {@code now}, in order; the first is the one in
   * progress (or the first interval, before the start date). For next-run listings.
   */
  public List<DataInterval> upcoming(Instant now, int n) {
    Objects.requireNonNull(now, "now");
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    List<DataInterval> intervals = new ArrayList<>();
    if (n == 0) {
      return intervals;
    }
    if (schedule instanceof OnceSchedule) {
      if (startDate.isAfter(now) && withinEnd(startDate)) {
        intervals.add(point(startDate));
      }
      return intervals;
    }
    if (fires == null) {
      return intervals;
    }
    Instant logicalDate = max(fires.previous(now, true), firstLogicalDate);
    while (intervals.size() < n && withinEnd(logicalDate)) {
      DataInterval interval = intervalAt(logicalDate);
      intervals.add(interval);
      logicalDate = interval.end();
    }
    return intervals;
  }

  /**
   * The latest interval that has fully ended by {@code now}, the one a DAG without catchup runs;
   * empty if none has.
   */
  public Optional<DataInterval> latestCompleted(Instant now) {
    Objects.requireNonNull(now, "now");
    if (schedule instanceof OnceSchedule) {
      return !startDate.isAfter(now) && withinEnd(startDate)
          ? Optional.of(point(startDate))
          : Optional.empty();
    }
    if (fires == null) {
      return Optional.empty();
    }
    Instant end = fires.previous(now, true);
    Instant logicalDate = fires.previous(end, false);
    if (!withinEnd(logicalDate)) {
      logicalDate = fires.previous(endDate, true);
    }
    if (logicalDate.isBefore(firstLogicalDate)) {
      return Optional.empty();
    }
    return Optional.of(intervalAt(logicalDate));
  }

  /**
   * The intervals whose logical dates lie in {@code [from, to]} (both inclusive), in order, within
   * the start and end dates; for backfill. Empty for {@code none()}.
   */
  public List<DataInterval> between(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    List<DataInterval> intervals = new ArrayList<>();
    if (from.isAfter(to)) {
      return intervals;
    }
    if (schedule instanceof OnceSchedule) {
      if (!startDate.isBefore(from) && !startDate.isAfter(to) && withinEnd(startDate)) {
        intervals.add(point(startDate));
      }
      return intervals;
    }
    if (fires == null) {
      return intervals;
    }
    Instant logicalDate = max(fires.next(from, true), firstLogicalDate);
    while (!logicalDate.isAfter(to) && withinEnd(logicalDate)) {
      DataInterval interval = intervalAt(logicalDate);
      intervals.add(interval);
      logicalDate = interval.end();
    }
    return intervals;
  }

  /**
   * The interval for a run with the given logical date, as for a manual run: the interval starting
   * at {@code logicalDate} if it is a schedule point, otherwise the interval that contains it. Not
   * bounded by the start and end dates. For {@code none()} and {@code @once}: {@code [logicalDate,
   * logicalDate]}.
   */
  public DataInterval intervalFor(Instant logicalDate) {
    Objects.requireNonNull(logicalDate, "logicalDate");
    if (fires == null) {
      return point(logicalDate);
    }
    return intervalAt(fires.previous(logicalDate, true));
  }

  private DataInterval intervalAt(Instant logicalDate) {
    return new DataInterval(logicalDate, fires.next(logicalDate, false));
  }

  private static DataInterval point(Instant instant) {
    return new DataInterval(instant, instant);
  }

  private boolean withinEnd(Instant logicalDate) {
    return endDate == null || !logicalDate.isAfter(endDate);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  @Override
  public String toString() {
    return "Timetable["
        + schedule.describe()
        + " in "
        + zone
        + " from "
        + startDate
        + (endDate == null ? "" : " to " + endDate)
        + "]";
  }
}
