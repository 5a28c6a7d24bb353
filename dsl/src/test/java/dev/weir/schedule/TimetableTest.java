package dev.weir.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimetableTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  private static DataInterval interval(String start, String end) {
    return new DataInterval(at(start), at(end));
  }

  private static Timetable cron(String cron, ZoneId zone, String start) {
    return new Timetable(Schedule.parse(cron), zone, at(start), null);
  }

  /** Catchup-style: every interval from the first while it has ended by {@code now}. */
  private static List<DataInterval> catchUp(Timetable timetable, Instant now) {
    List<DataInterval> intervals = new ArrayList<>();
    Optional<DataInterval> next = timetable.firstInterval();
    while (next.isPresent() && !next.get().end().isAfter(now)) {
      intervals.add(next.get());
      next = timetable.nextInterval(next.get());
    }
    return intervals;
  }

  @Test
  void should_give_a_normal_day_interval_in_the_dag_zone() {
    Timetable timetable = cron("0 3 * * *", BERLIN, "2025-06-15T00:00:00Z");

    assertThat(timetable.firstInterval())
        .contains(interval("2025-06-15T01:00:00Z", "2025-06-16T01:00:00Z"));
  }

  @Test
  void should_evaluate_cron_in_utc_zone() {
    Timetable timetable = cron("0 3 * * *", UTC, "2025-06-15T00:00:00Z");

    assertThat(timetable.firstInterval())
        .contains(interval("2025-06-15T03:00:00Z", "2025-06-16T03:00:00Z"));
  }

  @Test
  void should_evaluate_cron_in_half_hour_offset_zone() {
    Timetable daily = cron("0 3 * * *", KOLKATA, "2025-06-15T00:00:00Z");
    Timetable hourly = cron("@hourly", KOLKATA, "2025-06-15T00:00:00Z");

    assertThat(daily.firstInterval())
        .contains(interval("2025-06-15T21:30:00Z", "2025-06-16T21:30:00Z"));
    assertThat(hourly.firstInterval())
        .contains(interval("2025-06-15T00:30:00Z", "2025-06-15T01:30:00Z"));
  }

  @Test
  void should_start_at_next_cron_time_when_start_date_is_not_aligned() {
    assertThat(cron("0 3 * * *", UTC, "2025-01-01T05:00:00Z").firstInterval())
        .contains(interval("2025-01-02T03:00:00Z", "2025-01-03T03:00:00Z"));
    assertThat(cron("0 3 * * *", UTC, "2025-01-01T03:00:00Z").firstInterval())
        .contains(interval("2025-01-01T03:00:00Z", "2025-01-02T03:00:00Z"));
  }

  @Test
  void should_catch_up_one_interval_per_day_over_a_month() {
    Timetable berlinMarch = cron("@daily", BERLIN, "2025-02-28T23:00:00Z"); // 1 March, local
    Timetable utcApril = cron("@daily", UTC, "2025-04-01T00:00:00Z");

    List<DataInterval> march = catchUp(berlinMarch, at("2025-03-31T22:00:00Z")); // 1 April local
    List<DataInterval> april = catchUp(utcApril, at("2025-05-01T00:00:00Z"));

    assertThat(march).hasSize(31);
    assertThat(april).hasSize(30);
    for (int i = 1; i < march.size(); i++) {
      assertThat(march.get(i).start()).isEqualTo(march.get(i - 1).end());
    }
    assertThat(march.get(29)) // 30 March has 23 hours in Berlin
        .isEqualTo(interval("2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z"));
  }

  @Test
  void should_stop_at_end_date_including_a_logical_date_equal_to_it() {
    Timetable timetable =
        new Timetable(
            Schedule.parse("@daily"), UTC, at("2025-01-01T00:00:00Z"), at("2025-01-03T00:00:00Z"));

    List<DataInterval> all = catchUp(timetable, at("2030-01-01T00:00:00Z"));

    assertThat(all)
        .extracting(DataInterval::logicalDate)
        .containsExactly(
            at("2025-01-01T00:00:00Z"), at("2025-01-02T00:00:00Z"), at("2025-01-03T00:00:00Z"));
    assertThat(timetable.nextInterval(all.get(2))).isEmpty();
    assertThat(timetable.latestCompleted(at("2030-01-01T00:00:00Z")))
        .contains(interval("2025-01-03T00:00:00Z", "2025-01-04T00:00:00Z"));
    assertThat(timetable.upcoming(at("2025-01-02T12:00:00Z"), 5))
        .extracting(DataInterval::logicalDate)
        .containsExactly(at("2025-01-02T00:00:00Z"), at("2025-01-03T00:00:00Z"));
  }

  @Test
  void should_have_no_interval_when_end_date_is_before_the_first() {
    Timetable timetable =
        new Timetable(
            Schedule.parse("@daily"), UTC, at("2025-01-01T00:30:00Z"), at("2025-01-01T12:00:00Z"));

    assertThat(timetable.firstInterval()).isEmpty();
    assertThat(timetable.upcoming(at("2025-01-01T00:00:00Z"), 3)).isEmpty();
    assertThat(timetable.latestCompleted(at("2025-02-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void should_list_upcoming_intervals_starting_with_the_one_in_progress() {
    Timetable timetable = cron("@hourly", UTC, "2025-01-01T00:00:00Z");

    assertThat(timetable.upcoming(at("2025-06-15T10:20:00Z"), 3))
        .containsExactly(
            interval("2025-06-15T10:00:00Z", "2025-06-15T11:00:00Z"),
            interval("2025-06-15T11:00:00Z", "2025-06-15T12:00:00Z"),
            interval("2025-06-15T12:00:00Z", "2025-06-15T13:00:00Z"));
    assertThat(timetable.upcoming(at("2025-06-15T10:00:00Z"), 1))
        .containsExactly(interval("2025-06-15T10:00:00Z", "2025-06-15T11:00:00Z"));
    assertThat(timetable.upcoming(at("2024-12-31T00:00:00Z"), 2))
        .extracting(DataInterval::logicalDate)
        .containsExactly(at("2025-01-01T00:00:00Z"), at("2025-01-01T01:00:00Z"));
    assertThat(timetable.upcoming(at("2025-06-15T10:20:00Z"), 0)).isEmpty();
  }

  @Test
  void should_pick_latest_completed_interval_for_runs_without_catchup() {
    Timetable timetable = cron("@hourly", UTC, "2025-01-01T10:00:00Z");

    assertThat(timetable.latestCompleted(at("2025-06-15T10:20:00Z")))
        .contains(interval("2025-06-15T09:00:00Z", "2025-06-15T10:00:00Z"));
    assertThat(timetable.latestCompleted(at("2025-06-15T10:00:00Z")))
        .contains(interval("2025-06-15T09:00:00Z", "2025-06-15T10:00:00Z"));
    assertThat(timetable.latestCompleted(at("2025-01-01T10:59:59Z"))).isEmpty();
    assertThat(timetable.latestCompleted(at("2025-01-01T11:00:00Z")))
        .contains(interval("2025-01-01T10:00:00Z", "2025-01-01T11:00:00Z"));
  }

  @Test
  void should_list_logical_dates_between_inclusive_bounds_for_backfill() {
    Timetable timetable = cron("@daily", UTC, "2025-01-01T00:00:00Z");

    assertThat(timetable.between(at("2025-01-10T00:00:00Z"), at("2025-01-12T00:00:00Z")))
        .extracting(DataInterval::logicalDate)
        .containsExactly(
            at("2025-01-10T00:00:00Z"), at("2025-01-11T00:00:00Z"), at("2025-01-12T00:00:00Z"));
    assertThat(timetable.between(at("2024-12-01T00:00:00Z"), at("2025-01-02T12:00:00Z")))
        .extracting(DataInterval::logicalDate)
        .containsExactly(at("2025-01-01T00:00:00Z"), at("2025-01-02T00:00:00Z"));
    assertThat(timetable.between(at("2025-01-12T00:00:00Z"), at("2025-01-10T00:00:00Z"))).isEmpty();
  }

  @Test
  void should_infer_interval_for_a_manual_logical_date() {
    Timetable timetable = cron("0 3 * * *", UTC, "2025-01-01T00:00:00Z");

    assertThat(timetable.intervalFor(at("2025-01-05T03:00:00Z")))
        .isEqualTo(interval("2025-01-05T03:00:00Z", "2025-01-06T03:00:00Z"));
    assertThat(timetable.intervalFor(at("2025-01-05T12:00:00Z")))
        .isEqualTo(interval("2025-01-05T03:00:00Z", "2025-01-06T03:00:00Z"));
    assertThat(timetable.intervalFor(at("2025-01-05T01:00:00Z")))
        .isEqualTo(interval("2025-01-04T03:00:00Z", "2025-01-05T03:00:00Z"));
    assertThat(timetable.intervalFor(at("2024-06-01T05:00:00Z"))) // before the start date
        .isEqualTo(interval("2024-06-01T03:00:00Z", "2024-06-02T03:00:00Z"));
  }

  @Test
  void should_find_feb_29_a_leap_year_away() {
    Timetable timetable = cron("0 0 29 2 *", UTC, "2025-01-01T00:00:00Z");

    assertThat(timetable.firstInterval())
        .contains(interval("2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"));
    assertThat(timetable.intervalFor(at("2097-01-01T00:00:00Z")))
        .isEqualTo(interval("2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z"));
  }

  @Test
  void should_anchor_every_delta_at_start_date() {
    Timetable timetable =
        new Timetable(Schedule.every(Duration.ofHours(6)), UTC, at("2025-01-01T01:15:00Z"), null);

    assertThat(timetable.firstInterval())
        .contains(interval("2025-01-01T01:15:00Z", "2025-01-01T07:15:00Z"));
    assertThat(timetable.latestCompleted(at("2025-01-02T00:00:00Z")))
        .contains(interval("2025-01-01T13:15:00Z", "2025-01-01T19:15:00Z"));
    assertThat(timetable.upcoming(at("2025-01-02T00:00:00Z"), 2))
        .extracting(DataInterval::logicalDate)
        .containsExactly(at("2025-01-01T19:15:00Z"), at("2025-01-02T01:15:00Z"));
    assertThat(timetable.intervalFor(at("2024-12-31T20:00:00Z")))
        .isEqualTo(interval("2024-12-31T19:15:00Z", "2025-01-01T01:15:00Z"));
  }

  @Test
  void should_run_once_at_start_date() {
    Instant start = at("2025-01-01T00:00:00Z");
    Timetable timetable = new Timetable(Schedule.once(), UTC, start, null);
    DataInterval only = new DataInterval(start, start);

    assertThat(timetable.firstInterval()).contains(only);
    assertThat(timetable.nextInterval(only)).isEmpty();
    assertThat(timetable.upcoming(at("2024-12-31T00:00:00Z"), 3)).containsExactly(only);
    assertThat(timetable.upcoming(at("2025-01-02T00:00:00Z"), 3)).isEmpty();
    assertThat(timetable.latestCompleted(at("2024-12-31T00:00:00Z"))).isEmpty();
    assertThat(timetable.latestCompleted(at("2025-01-02T00:00:00Z"))).contains(only);
    assertThat(timetable.between(at("2024-12-01T00:00:00Z"), at("2025-02-01T00:00:00Z")))
        .containsExactly(only);
    assertThat(timetable.intervalFor(at("2025-03-01T00:00:00Z")))
        .isEqualTo(interval("2025-03-01T00:00:00Z", "2025-03-01T00:00:00Z"));
    assertThat(
            new Timetable(Schedule.once(), UTC, start, at("2024-12-01T00:00:00Z")).firstInterval())
        .isEmpty();
  }

  @Test
  void should_never_schedule_none_but_allow_manual_runs() {
    Timetable timetable = new Timetable(Schedule.none(), UTC, at("2025-01-01T00:00:00Z"), null);

    assertThat(timetable.firstInterval()).isEmpty();
    assertThat(timetable.upcoming(at("2025-06-01T00:00:00Z"), 3)).isEmpty();
    assertThat(timetable.latestCompleted(at("2025-06-01T00:00:00Z"))).isEmpty();
    assertThat(timetable.between(at("2025-01-01T00:00:00Z"), at("2025-06-01T00:00:00Z"))).isEmpty();
    assertThat(timetable.intervalFor(at("2025-03-01T12:00:00Z")))
        .isEqualTo(interval("2025-03-01T12:00:00Z", "2025-03-01T12:00:00Z"));
  }

  @Test
  void should_iterate_a_year_of_hourly_intervals_in_well_under_100_ms() {
    Timetable timetable = cron("@hourly", BERLIN, "2025-01-01T00:00:00Z");
    iterateYear(timetable); // warm up the JIT

    long best = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 3; attempt++) {
      long begin = System.nanoTime();
      DataInterval last = iterateYear(timetable);
      best = Math.min(best, System.nanoTime() - begin);
      assertThat(last.end()).isEqualTo(at("2026-01-01T00:00:00Z"));
    }

    assertThat(Duration.ofNanos(best)).isLessThan(Duration.ofMillis(100));
  }

  private static DataInterval iterateYear(Timetable timetable) {
    DataInterval interval = timetable.firstInterval().orElseThrow();
    for (int i = 1; i < 8_760; i++) {
      interval = timetable.nextInterval(interval).orElseThrow();
    }
    return interval;
  }
}
