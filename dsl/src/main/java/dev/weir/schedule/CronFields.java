package dev.weir.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * A validated 5-field Unix cron as bit sets, with next/previous search on local wall times.
 *
 * <p>Written by hand rather than with cron-utils' {@code ExecutionTime}: that takes 20-60 µs per
 * call, too slow for iterating a year of hourly intervals, and its parse errors do not name the
 * field. The day fields follow cron-utils and croniter (Airflow): when both day-of-month and
 * day-of-week are restricted (not {@code *}), a day matches either.
 */
final class CronFields {

  private static final String FIELDS_HINT = "(minute hour day-of-month month day-of-week)";
  private static final String[] NAMES = {"minute", "hour", "day-of-month", "month", "day-of-week"};
  private static final int[] MIN = {0, 0, 1, 1, 0};
  private static final int[] MAX = {59, 23, 31, 12, 7};
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> WEEKDAYS =
      List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final int ALL_HOURS = (1 << 24) - 1;
  // The longest gap between fires of a valid cron is 8 years (29 February around 2100).
  private static final int SEARCH_YEARS = 10;

  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek;
  private final boolean dayOfMonthRestricted;
  private final boolean dayOfWeekRestricted;

  private CronFields(String[] fields, long[] bits) {
    this.minutes = bits[0];
    this.hours = bits[1];
    this.daysOfMonth = bits[2];
    this.months = bits[3];
    this.daysOfWeek = bits[4];
    this.dayOfMonthRestricted = !fields[2].equals("*");
    this.dayOfWeekRestricted = !fields[4].equals("*");
  }

  /** Parses a cron whose fields are separated by single spaces. */
  static CronFields parse(String expression) {
    String[] fields = expression.split(" ");
    if (fields.length != 5) {
      throw invalid(expression, "expected 5 fields " + FIELDS_HINT + ", got " + fields.length);
    }
    long[] bits = new long[5];
    for (int i = 0; i < 5; i++) {
      bits[i] = parseField(expression, i, fields[i]);
    }
    if ((bits[4] & (1L << 7)) != 0) {
      bits[4] = (bits[4] & ~(1L << 7)) | 1L; // 7 is Sunday too
    }
    CronFields cron = new CronFields(fields, bits);
    cron.checkCanFire(expression, fields);
    return cron;
  }

  /** True when the cron fires in every hour of the day (hour field {@code *} or equivalent). */
  boolean everyHour() {
    return hours == ALL_HOURS;
  }

  /** The first matching wall time strictly after {@code after} (whole minutes). */
  LocalDateTime next(LocalDateTime after) {
    LocalDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    int lastYear = t.getYear() + SEARCH_YEARS;
    while (t.getYear() <= lastYear) {
      if (!has(months, t.getMonthValue())) {
        t = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1);
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      int hour = nextBit(hours, t.getHour());
      if (hour < 0) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      if (hour != t.getHour()) {
        t = t.withHour(hour).withMinute(0);
      }
      int minute = nextBit(minutes, t.getMinute());
      if (minute < 0) {
        t = t.withMinute(0).plusHours(1);
        continue;
      }
      return t.withMinute(minute);
    }
    throw new IllegalStateException("cron found no fire time within " + SEARCH_YEARS + " years");
  }

  /** The last matching wall time strictly before {@code before} (whole minutes). */
  LocalDateTime previous(LocalDateTime before) {
    LocalDateTime t = before.truncatedTo(ChronoUnit.MINUTES);
    if (t.equals(before)) {
      t = t.minusMinutes(1);
    }
    int firstYear = t.getYear() - SEARCH_YEARS;
    while (t.getYear() >= firstYear) {
      if (!has(months, t.getMonthValue())) {
        t = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).minusMinutes(1);
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
        continue;
      }
      int hour = previousBit(hours, t.getHour());
      if (hour < 0) {
        t = t.truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
        continue;
      }
      if (hour != t.getHour()) {
        t = t.withHour(hour).withMinute(59);
      }
      int minute = previousBit(minutes, t.getMinute());
      if (minute < 0) {
        t = t.withMinute(0).minusMinutes(1);
        continue;
      }
      return t.withMinute(minute);
    }
    throw new IllegalStateException("cron found no fire time within " + SEARCH_YEARS + " years");
  }

  private boolean dayMatches(LocalDate date) {
    if (!dayOfMonthRestricted && !dayOfWeekRestricted) {
      return true;
    }
    boolean dayOfMonth = has(daysOfMonth, date.getDayOfMonth());
    boolean dayOfWeek = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
    if (dayOfMonthRestricted && dayOfWeekRestricted) {
      return dayOfMonth || dayOfWeek;
    }
    return dayOfMonth && dayOfWeek;
  }

  private void checkCanFire(String expression, String[] fields) {
    if (dayOfWeekRestricted) {
      return; // some weekday always comes, whatever the day of month
    }
    for (int month = 1; month <= 12; month++) {
      int length = Month.of(month).maxLength();
      if (has(months, month) && nextBit(daysOfMonth, 1) <= length) {
        return;
      }
    }
    throw invalid(
        expression,
        "it never fires: no day-of-month in '"
            + fields[2]
            + "' exists in month field '"
            + fields[3]
            + "'");
  }

  private static long parseField(String expression, int index, String field) {
    long bits = 0;
    for (String item : field.split(",", -1)) {
      if (item.isEmpty()) {
        throw invalid(expression, NAMES[index] + " field '" + field + "' has an empty list item");
      }
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = parseStep(expression, index, field, item.substring(slash + 1));
      }
      int low;
      int high;
      int dash = range.indexOf('-');
      if (range.equals("*")) {
        low = MIN[index];
        high = MAX[index];
      } else if (dash > 0) {
        low = parseValue(expression, index, field, range.substring(0, dash));
        high = parseValue(expression, index, field, range.substring(dash + 1));
        if (low > high) {
          throw invalid(
              expression,
              NAMES[index] + " field '" + field + "': range '" + range + "' starts after it ends");
        }
      } else {
        low = parseValue(expression, index, field, range);
        high = slash >= 0 ? MAX[index] : low; // "5/15" means 5-59/15, as in cron-utils
      }
      for (int value = low; value <= high; value += step) {
        bits |= 1L << value;
      }
    }
    return bits;
  }

  private static int parseStep(String expression, int index, String field, String text) {
    int step = isNumber(text) ? Integer.parseInt(text) : -1;
    if (step < 1 || step > MAX[index]) {
      throw invalid(
          expression,
          NAMES[index]
              + " field '"
              + field
              + "': step '"
              + text
              + "' must be a number in 1-"
              + MAX[index]);
    }
    return step;
  }

  private static int parseValue(String expression, int index, String field, String text) {
    int value;
    if (isNumber(text)) {
      value = Integer.parseInt(text);
    } else {
      List<String> names = index == 3 ? MONTHS : index == 4 ? WEEKDAYS : List.of();
      int position = names.indexOf(text.toUpperCase(Locale.ROOT));
      if (position < 0) {
        throw invalid(
            expression,
            NAMES[index]
                + " field '"
                + field
                + "': '"
                + text
                + "' is not a valid value, expected "
                + rangeText(index));
      }
      value = index == 3 ? position + 1 : position;
    }
    if (value < MIN[index] || value > MAX[index]) {
      String where =
          text.equals(field)
              ? NAMES[index] + " field '" + field + "'"
              : NAMES[index] + " field '" + field + "': value '" + text + "'";
      throw invalid(expression, where + " is out of range " + rangeText(index));
    }
    return value;
  }

  private static String rangeText(int index) {
    String numbers = MIN[index] + "-" + MAX[index];
    return switch (index) {
      case 3 -> numbers + " or JAN-DEC";
      case 4 -> numbers + " or SUN-SAT";
      default -> numbers;
    };
  }

  private static boolean isNumber(String text) {
    if (text.isEmpty() || text.length() > 4) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static ScheduleException invalid(String expression, String reason) {
    return new ScheduleException("invalid cron '" + expression + "': " + reason);
  }

  private static boolean has(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  /** The smallest set bit at or above {@code from}, or -1. */
  private static int nextBit(long bits, int from) {
    long candidates = bits & (-1L << from);
    return candidates == 0 ? -1 : Long.numberOfTrailingZeros(candidates);
  }

  /** The largest set bit at or below {@code from} (at most 62), or -1. */
  private static int previousBit(long bits, int from) {
    long candidates = bits & ((2L << from) - 1);
    return candidates == 0 ? -1 : 63 - Long.numberOfLeadingZeros(candidates);
  }
}
