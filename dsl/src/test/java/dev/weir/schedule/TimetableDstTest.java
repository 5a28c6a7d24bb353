package dev.weir.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DST policy with fixed dates: Europe/Berlin and America/New_York in 2025. */
class TimetableDstTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private static Timetable timetable(String cron, ZoneId zone) {
    return new Timetable(Schedule.parse(cron), zone, START, null);
  }

  /** Logical dates of the runs that fire during one local calendar day. */
  private static List<Instant> firesOn(Timetable timetable, LocalDate day, ZoneId zone) {
    Instant from = day.atStartOfDay(zone).toInstant();
    Instant to = day.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1);
    return timetable.between(from, to).stream().map(DataInterval::logicalDate).toList();
  }

  private static void assertSpacedBy(List<Instant> fires, Duration spacing) {
    for (int i = 1; i < fires.size(); i++) {
      assertThat(Duration.between(fires.get(i - 1), fires.get(i)))
          .as("gap after %s", fires.get(i - 1))
          .isEqualTo(spacing);
    }
  }

  @Test
  void should_fire_daily_once_at_gap_end_in_spring_forward_gap() {
    Timetable timetable = timetable("30 2 * * *", BERLIN);

    assertThat(firesOn(timetable, LocalDate.parse("2025-03-30"), BERLIN))
        .containsExactly(Instant.parse("2025-03-30T01:00:00Z")); // 03:00 CEST
    assertThat(timetable.intervalFor(Instant.parse("2025-03-30T01:00:00Z")))
        .isEqualTo(
            new DataInterval(
                Instant.parse("2025-03-30T01:00:00Z"), Instant.parse("2025-03-31T00:30:00Z")));
    assertThat(timetable.intervalFor(Instant.parse("2025-03-30T00:59:00Z")))
        .isEqualTo(
            new DataInterval(
                Instant.parse("2025-03-29T01:30:00Z"), Instant.parse("2025-03-30T01:00:00Z")));
  }

  @Test
  void should_fire_daily_once_at_earlier_instant_in_fall_back_overlap() {
    Timetable timetable = timetable("30 2 * * *", BERLIN);

    assertThat(firesOn(timetable, LocalDate.parse("2025-10-26"), BERLIN))
        .containsExactly(Instant.parse("2025-10-26T00:30:00Z")); // 02:30 CEST
    assertThat(timetable.intervalFor(Instant.parse("2025-10-26T00:30:00Z")).end())
        .isEqualTo(Instant.parse("2025-10-27T01:30:00Z")); // 02:30 CET
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 * * * *", "@hourly"})
  void should_fire_hourly_once_per_real_hour_across_berlin_transitions(String cron) {
    Timetable timetable = timetable(cron, BERLIN);

    List<Instant> spring = firesOn(timetable, LocalDate.parse("2025-03-30"), BERLIN);
    List<Instant> fall = firesOn(timetable, LocalDate.parse("2025-10-26"), BERLIN);

    assertThat(spring).hasSize(23);
    assertThat(fall).hasSize(25);
    assertSpacedBy(
        timetable
            .between(Instant.parse("2025-03-29T00:00:00Z"), Instant.parse("2025-03-31T23:00:00Z"))
            .stream()
            .map(DataInterval::logicalDate)
            .toList(),
        Duration.ofHours(1));
    assertSpacedBy(
        timetable
            .between(Instant.parse("2025-10-25T00:00:00Z"), Instant.parse("2025-10-27T23:00:00Z"))
            .stream()
            .map(DataInterval::logicalDate)
            .toList(),
        Duration.ofHours(1));
    assertThat(fall)
        .contains(Instant.parse("2025-10-26T00:00:00Z"), Instant.parse("2025-10-26T01:00:00Z"));
  }

  @Test
  void should_fire_hourly_once_per_real_hour_across_new_york_transitions() {
    Timetable timetable = timetable("0 * * * *", NEW_YORK);

    List<Instant> spring = firesOn(timetable, LocalDate.parse("2025-03-09"), NEW_YORK);
    List<Instant> fall = firesOn(timetable, LocalDate.parse("2025-11-02"), NEW_YORK);

    assertThat(spring).hasSize(23);
    assertThat(fall).hasSize(25);
    assertSpacedBy(spring, Duration.ofHours(1));
    assertSpacedBy(fall, Duration.ofHours(1));
    assertThat(fall) // 01:00 EDT and 01:00 EST
        .contains(Instant.parse("2025-11-02T05:00:00Z"), Instant.parse("2025-11-02T06:00:00Z"));
  }

  @Test
  void should_fire_daily_once_on_new_york_transition_days() {
    assertThat(firesOn(timetable("30 2 * * *", NEW_YORK), LocalDate.parse("2025-03-09"), NEW_YORK))
        .containsExactly(Instant.parse("2025-03-09T07:00:00Z")); // 03:00 EDT, end of the gap
    assertThat(firesOn(timetable("30 1 * * *", NEW_YORK), LocalDate.parse("2025-11-02"), NEW_YORK))
        .containsExactly(Instant.parse("2025-11-02T05:30:00Z")); // 01:30 EDT, the earlier one
  }

  @Test
  void should_fire_once_in_spring_forward_gap_for_every_time_in_the_missing_hour() {
    Timetable timetable = timetable("*/15 2 * * *", BERLIN);

    assertThat(firesOn(timetable, LocalDate.parse("2025-03-30"), BERLIN))
        .containsExactly(Instant.parse("2025-03-30T01:00:00Z"));
    assertThat(firesOn(timetable, LocalDate.parse("2025-03-31"), BERLIN)).hasSize(4);
  }

  @Test
  void should_collapse_gap_time_and_gap_end_time_into_one_fire() {
    Timetable timetable = timetable("0 2,3 * * *", BERLIN);

    assertThat(firesOn(timetable, LocalDate.parse("2025-03-30"), BERLIN))
        .containsExactly(Instant.parse("2025-03-30T01:00:00Z"));
  }

  @Test
  void should_fire_specific_hour_only_in_first_pass_of_fall_back_overlap() {
    Timetable timetable = timetable("*/15 2 * * *", BERLIN);

    assertThat(firesOn(timetable, LocalDate.parse("2025-10-26"), BERLIN))
        .containsExactly(
            Instant.parse("2025-10-26T00:00:00Z"),
            Instant.parse("2025-10-26T00:15:00Z"),
            Instant.parse("2025-10-26T00:30:00Z"),
            Instant.parse("2025-10-26T00:45:00Z"));
  }

  @Test
  void should_fire_sub_hourly_cron_in_both_passes_of_fall_back_overlap() {
    Timetable timetable = timetable("*/15 * * * *", BERLIN);

    List<Instant> spring = firesOn(timetable, LocalDate.parse("2025-03-30"), BERLIN);
    List<Instant> fall = firesOn(timetable, LocalDate.parse("2025-10-26"), BERLIN);

    assertThat(spring).hasSize(23 * 4);
    assertThat(fall).hasSize(25 * 4);
    assertSpacedBy(spring, Duration.ofMinutes(15));
    assertSpacedBy(fall, Duration.ofMinutes(15));
  }

  @Test
  void should_keep_every_delta_in_real_time_across_dst() {
    Instant start = Instant.parse("2025-03-29T01:15:00Z");
    Timetable timetable = new Timetable(Schedule.every(Duration.ofHours(6)), BERLIN, start, null);

    List<Instant> fires =
        timetable.between(start, Instant.parse("2025-04-01T00:00:00Z")).stream()
            .map(DataInterval::logicalDate)
            .toList();

    assertThat(fires.get(0)).isEqualTo(start);
    assertThat(fires).hasSize(12);
    assertSpacedBy(fires, Duration.ofHours(6));
    assertThat(timetable.intervalFor(Instant.parse("2025-03-30T10:00:00Z")))
        .isEqualTo(
            new DataInterval(
                Instant.parse("2025-03-30T07:15:00Z"), Instant.parse("2025-03-30T13:15:00Z")));
  }

  @Test
  void should_step_next_interval_through_both_passes_of_the_overlap() {
    Timetable timetable = timetable("30 * * * *", BERLIN);
    DataInterval interval = timetable.intervalFor(Instant.parse("2025-10-25T23:30:00Z"));

    List<Instant> starts = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      starts.add(interval.start());
      interval = timetable.nextInterval(interval).orElseThrow();
    }

    assertThat(starts) // 01:30 CEST, 02:30 CEST, 02:30 CET, 03:30 CET
        .containsExactly(
            Instant.parse("2025-10-25T23:30:00Z"),
            Instant.parse("2025-10-26T00:30:00Z"),
            Instant.parse("2025-10-26T01:30:00Z"),
            Instant.parse("2025-10-26T02:30:00Z"));
  }

  @Test
  void should_find_containing_interval_inside_fall_back_overlap() {
    Timetable hourly = timetable("0 * * * *", BERLIN);
    Timetable daily = timetable("30 2 * * *", BERLIN);
    Instant secondPass = Instant.parse("2025-10-26T01:35:00Z"); // 02:35 CET

    assertThat(hourly.intervalFor(secondPass))
        .isEqualTo(
            new DataInterval(
                Instant.parse("2025-10-26T01:00:00Z"), Instant.parse("2025-10-26T02:00:00Z")));
    assertThat(hourly.latestCompleted(secondPass).orElseThrow().logicalDate())
        .isEqualTo(Instant.parse("2025-10-26T00:00:00Z"));
    assertThat(hourly.upcoming(Instant.parse("2025-10-26T00:20:00Z"), 3))
        .extracting(DataInterval::logicalDate)
        .containsExactly(
            Instant.parse("2025-10-26T00:00:00Z"),
            Instant.parse("2025-10-26T01:00:00Z"),
            Instant.parse("2025-10-26T02:00:00Z"));
    // 02:30 CET is not a fire of a daily cron: its run was at 02:30 CEST.
    assertThat(daily.intervalFor(secondPass))
        .isEqualTo(
            new DataInterval(
                Instant.parse("2025-10-26T00:30:00Z"), Instant.parse("2025-10-27T01:30:00Z")));
    assertThat(daily.latestCompleted(secondPass).orElseThrow().logicalDate())
        .isEqualTo(Instant.parse("2025-10-25T00:30:00Z"));
  }

  @Test
  void should_step_next_interval_onto_and_past_the_spring_forward_gap_run() {
    Timetable timetable = timetable("30 2 * * *", BERLIN);
    DataInterval interval = timetable.intervalFor(Instant.parse("2025-03-29T01:30:00Z"));

    DataInterval gapDay = timetable.nextInterval(interval).orElseThrow();
    DataInterval dayAfter = timetable.nextInterval(gapDay).orElseThrow();

    assertThat(gapDay)
        .isEqualTo(
            new DataInterval(
                Instant.parse("2025-03-30T01:00:00Z"), Instant.parse("2025-03-31T00:30:00Z")));
    assertThat(dayAfter.logicalDate()).isEqualTo(Instant.parse("2025-03-31T00:30:00Z"));
  }
}
