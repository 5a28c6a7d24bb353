package dev.weir.schedule;

import java.time.Duration;
import java.util.List;

/**
 * When a DAG runs: a cron expression, a fixed real-time delta, once, or only when triggered by
 * hand. Turn a schedule into data intervals with a {@link Timetable}.
 */
public sealed interface Schedule
    permits CronSchedule, DeltaSchedule, OnceSchedule, NoSchedule, DatasetSchedule {

  /**
   * Parses a 5-field Unix cron ({@code minute hour day-of-month month day-of-week}) or a preset,
   * one of {@code @once @hourly @daily @midnight @weekly @monthly @yearly @annually}.
   *
   * @throws ScheduleException naming the field and value that is wrong
   */
  static Schedule parse(String expression) throws ScheduleException {
    return ScheduleParser.parse(expression);
  }

  /**
   * Runs every {@code delta} of real time, anchored at the DAG's start date.
   *
   * @throws ScheduleException if {@code delta} is not positive
   */
  static Schedule every(Duration delta) {
    return new DeltaSchedule(delta);
  }

  /** Runs once, with the data interval {@code [startDate, startDate]}. */
  static Schedule once() {
    return new OnceSchedule();
  }

  /** Never runs by itself: runs only when triggered by hand or backfilled. */
  static Schedule none() {
    return new NoSchedule();
  }

  /** Runs when each of these datasets was updated since the DAG's last dataset-triggered run. */
  static Schedule datasets(List<Dataset> datasets) {
    return new DatasetSchedule(datasets);
  }

  /**
   * Whether the schedule makes runs as time passes (and so needs a start date); false for {@code
   * none()} and datasets.
   */
  default boolean timeBased() {
    return true;
  }

  /** A short text for people: {@code "0 3 * * *"}, {@code "@daily"}, {@code "every 6h"}, ... */
  String describe();
}
