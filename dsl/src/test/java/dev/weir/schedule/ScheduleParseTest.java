package dev.weir.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleParseTest {

  @Test
  void should_parse_cron_and_describe_it_with_single_spaces() {
    Schedule schedule = Schedule.parse("  0   3 * * *  ");

    assertThat(schedule).isInstanceOf(CronSchedule.class);
    assertThat(schedule.describe()).isEqualTo("0 3 * * *");
    assertThat(((CronSchedule) schedule).expression()).isEqualTo("0 3 * * *");
  }

  @ParameterizedTest
  @CsvSource({
    "@hourly,   0 * * * *",
    "@daily,    0 0 * * *",
    "@midnight, 0 0 * * *",
    "@weekly,   0 0 * * 0",
    "@monthly,  0 0 1 * *",
    "@yearly,   0 0 1 1 *",
    "@annually, 0 0 1 1 *"
  })
  void should_expand_presets_and_describe_them_as_written(String preset, String cron) {
    CronSchedule schedule = (CronSchedule) Schedule.parse(preset);

    assertThat(schedule.expression()).isEqualTo(cron);
    assertThat(schedule.describe()).isEqualTo(preset);
  }

  @Test
  void should_parse_once_preset() {
    assertThat(Schedule.parse("@once")).isEqualTo(Schedule.once());
    assertThat(Schedule.once().describe()).isEqualTo("@once");
  }

  @Test
  void should_describe_none_and_every() {
    assertThat(Schedule.none().describe()).isEqualTo("none");
    assertThat(Schedule.every(Duration.ofHours(6)).describe()).isEqualTo("every 6h");
    assertThat(Schedule.every(Duration.ofMinutes(90)).describe()).isEqualTo("every 1h30m");
    assertThat(Schedule.every(Duration.ofDays(1)).describe()).isEqualTo("every 1d");
    assertThat(Schedule.every(Duration.ofSeconds(45)).describe()).isEqualTo("every 45s");
  }

  @Test
  void should_reject_non_positive_every() {
    assertThatThrownBy(() -> Schedule.every(Duration.ZERO))
        .isInstanceOf(ScheduleException.class)
        .hasMessage("every(...) needs a positive duration, got PT0S");
    assertThatThrownBy(() -> Schedule.every(Duration.ofHours(-1)))
        .isInstanceOf(ScheduleException.class);
    assertThatThrownBy(() -> Schedule.every(null)).isInstanceOf(ScheduleException.class);
  }

  @Test
  void should_accept_lists_ranges_steps_and_names() {
    assertThat(Schedule.parse("0,30 9-17/2 */5 JAN-MAR,dec mon-FRI").describe())
        .isEqualTo("0,30 9-17/2 */5 JAN-MAR,dec mon-FRI");
    assertThat(Schedule.parse("5/15 * * * 7")).isInstanceOf(CronSchedule.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 25 * * *        | invalid cron '0 25 * * *': hour field '25' is out of range 0-23",
        "* * *             | invalid cron '* * *': expected 5 fields (minute hour day-of-month"
            + " month day-of-week), got 3",
        "* * * * * *       | invalid cron '* * * * * *': expected 5 fields (minute hour"
            + " day-of-month month day-of-week), got 6",
        "60 * * * *        | invalid cron '60 * * * *': minute field '60' is out of range 0-59",
        "0 0 32 * *        | invalid cron '0 0 32 * *': day-of-month field '32' is out of range"
            + " 1-31",
        "0 0 0 * *         | invalid cron '0 0 0 * *': day-of-month field '0' is out of range 1-31",
        "0 0 * 13 *        | invalid cron '0 0 * 13 *': month field '13' is out of range 1-12 or"
            + " JAN-DEC",
        "0 0 * * 8         | invalid cron '0 0 * * 8': day-of-week field '8' is out of range 0-7"
            + " or SUN-SAT",
        "0 1-25 * * *      | invalid cron '0 1-25 * * *': hour field '1-25': value '25' is out of"
            + " range 0-23",
        "0 5-3 * * *       | invalid cron '0 5-3 * * *': hour field '5-3': range '5-3' starts"
            + " after it ends",
        "*/0 * * * *       | invalid cron '*/0 * * * *': minute field '*/0': step '0' must be a"
            + " number in 1-59",
        "0 */x * * *       | invalid cron '0 */x * * *': hour field '*/x': step 'x' must be a"
            + " number in 1-23",
        "0 0 * * FUN       | invalid cron '0 0 * * FUN': day-of-week field 'FUN': 'FUN' is not a"
            + " valid value, expected 0-7 or SUN-SAT",
        "0 MON * * *       | invalid cron '0 MON * * *': hour field 'MON': 'MON' is not a valid"
            + " value, expected 0-23",
        "0 0 L * *         | invalid cron '0 0 L * *': day-of-month field 'L': 'L' is not a valid"
            + " value, expected 1-31",
        "1,,2 * * * *      | invalid cron '1,,2 * * * *': minute field '1,,2' has an empty list"
            + " item",
        "0 0 30,31 2 *     | invalid cron '0 0 30,31 2 *': it never fires: no day-of-month in"
            + " '30,31' exists in month field '2'",
        "@dayly            | unknown schedule preset '@dayly'; did you mean '@daily'?",
        "@hourli           | unknown schedule preset '@hourli'; did you mean '@hourly'?",
        "@xyzzyplugh       | unknown schedule preset '@xyzzyplugh'; known presets are @once,"
            + " @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually",
        "daily             | invalid cron 'daily': expected 5 fields (minute hour day-of-month"
            + " month day-of-week), got 1; did you mean '@daily'?"
      })
  void should_reject_bad_schedules_with_message_naming_field_and_value(
      String expression, String message) {
    assertThatThrownBy(() -> Schedule.parse(expression))
        .isInstanceOf(ScheduleException.class)
        .hasMessage(message);
  }

  @Test
  void should_reject_empty_schedule() {
    assertThatThrownBy(() -> Schedule.parse("  "))
        .isInstanceOf(ScheduleException.class)
        .hasMessageContaining("schedule is empty");
  }

  @Test
  void should_accept_feb_29_because_it_fires_in_leap_years() {
    assertThat(Schedule.parse("0 0 29 2 *")).isInstanceOf(CronSchedule.class);
  }

  @Test
  void should_accept_impossible_day_of_month_when_day_of_week_also_matches() {
    // Both day fields restricted: either matches, so every Monday of February fires.
    assertThat(Schedule.parse("0 0 31 2 1")).isInstanceOf(CronSchedule.class);
  }
}
