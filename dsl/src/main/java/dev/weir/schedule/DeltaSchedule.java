package dev.weir.schedule;

import java.time.Duration;

/**
 * Runs every {@code delta} of real time, anchored at the DAG's start date; daylight saving time
 * does not move the runs.
 */
public record DeltaSchedule(Duration delta) implements Schedule {

  /**
   * @throws ScheduleException if {@code delta} is missing, zero or negative
   */
  public DeltaSchedule {
    if (delta == null || delta.isZero() || delta.isNegative()) {
      throw new ScheduleException("every(...) needs a positive duration, got " + delta);
    }
  }

  /** For example {@code "every 6h"}, {@code "every 1d12h"}, {@code "every 90s"}. */
  @Override
  public String describe() {
    StringBuilder text = new StringBuilder("every ");
    append(text, delta.toDaysPart(), "d");
    append(text, delta.toHoursPart(), "h");
    append(text, delta.toMinutesPart(), "m");
    append(text, delta.toSecondsPart(), "s");
    append(text, delta.toMillisPart(), "ms");
    if (text.length() == "every ".length()) {
      text.append(delta.toNanos()).append("ns");
    }
    return text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount != 0) {
      text.append(amount).append(unit);
    }
  }
}
