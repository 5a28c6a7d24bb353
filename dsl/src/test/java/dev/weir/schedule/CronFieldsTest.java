package dev.weir.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronFieldsTest {

  private static final CronParser CRON_UTILS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0 * * * *",
        "*/15 2 * * *",
        "30 2 * * *",
        "5/15 * * * *",
        "0 0 29 2 *",
        "0 0 13 * 5",
        "0 12 1,15 * WED",
        "5 4 * * SUN",
        "0 0 * * 7",
        "0 9-17/2 * JAN-MAR MON-FRI",
        "59 23 31 12 *",
        "0 0 31 * *",
        "0 0 1 */3 *"
      })
  void should_find_the_same_fire_times_as_cron_utils(String expression) {
    CronFields cron = CronFields.parse(expression);
    ExecutionTime oracle = ExecutionTime.forCron(CRON_UTILS.parse(expression));
    ZonedDateTime start = ZonedDateTime.of(2023, 12, 30, 7, 42, 13, 0, ZoneOffset.UTC);

    List<LocalDateTime> forward = new ArrayList<>();
    List<LocalDateTime> expectedForward = new ArrayList<>();
    LocalDateTime mine = start.toLocalDateTime();
    ZonedDateTime theirs = start;
    for (int i = 0; i < 300; i++) {
      mine = cron.next(mine);
      theirs = oracle.nextExecution(theirs).orElseThrow();
      forward.add(mine);
      expectedForward.add(theirs.toLocalDateTime());
    }
    assertThat(forward).isEqualTo(expectedForward);

    List<LocalDateTime> backward = new ArrayList<>();
    List<LocalDateTime> expectedBackward = new ArrayList<>();
    mine = start.toLocalDateTime();
    theirs = start;
    for (int i = 0; i < 300; i++) {
      mine = cron.previous(mine);
      theirs = oracle.lastExecution(theirs).orElseThrow();
      backward.add(mine);
      expectedBackward.add(theirs.toLocalDateTime());
    }
    assertThat(backward).isEqualTo(expectedBackward);
  }

  @Test
  void should_match_either_day_field_when_both_are_restricted_like_vixie_cron() {
    // Vixie cron: "0 0 13 * 5" runs on the 13th AND on every Friday (OR), not only Friday the 13th.
    CronFields cron = CronFields.parse("0 0 13 * 5");
    ExecutionTime oracle = ExecutionTime.forCron(CRON_UTILS.parse("0 0 13 * 5"));

    List<Integer> days = new ArrayList<>();
    List<Integer> cronUtilsDays = new ArrayList<>();
    LocalDateTime t = LocalDateTime.of(2025, 1, 1, 0, 0);
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    while (true) {
      t = cron.next(t);
      z = oracle.nextExecution(z).orElseThrow();
      if (t.getMonthValue() != 1) {
        break;
      }
      days.add(t.getDayOfMonth());
      cronUtilsDays.add(z.getDayOfMonth());
    }

    assertThat(days).containsExactly(3, 10, 13, 17, 24, 31);
    assertThat(cronUtilsDays).isEqualTo(days);
  }

  @Test
  void should_use_only_the_restricted_day_field_when_the_other_is_star() {
    LocalDateTime newYear = LocalDateTime.of(2025, 1, 1, 0, 0);

    assertThat(CronFields.parse("0 0 13 * *").next(newYear)).isEqualTo("2025-01-13T00:00");
    assertThat(CronFields.parse("0 0 * * 5").next(newYear)).isEqualTo("2025-01-03T00:00");
  }

  @Test
  void should_treat_day_of_week_7_as_sunday() {
    LocalDateTime next = CronFields.parse("0 0 * * 7").next(LocalDateTime.of(2025, 1, 1, 0, 0));

    assertThat(next.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
  }

  @Test
  void should_find_feb_29_across_the_eight_year_gap_around_2100() {
    CronFields cron = CronFields.parse("0 0 29 2 *");

    assertThat(cron.next(LocalDateTime.of(2096, 2, 29, 0, 0))).isEqualTo("2104-02-29T00:00");
    assertThat(cron.previous(LocalDateTime.of(2104, 2, 29, 0, 0))).isEqualTo("2096-02-29T00:00");
  }

  @Test
  void should_know_when_a_cron_fires_every_hour() {
    assertThat(CronFields.parse("0 * * * *").everyHour()).isTrue();
    assertThat(CronFields.parse("*/15 0-23 * * *").everyHour()).isTrue();
    assertThat(CronFields.parse("0 */2 * * *").everyHour()).isFalse();
    assertThat(CronFields.parse("30 2 * * *").everyHour()).isFalse();
  }
}
