package dev.weir.schedule;

import java.util.Objects;

/**
 * A 5-field Unix cron schedule, evaluated on wall-clock time in the DAG's time zone. Create it with
 * {@link Schedule#parse(String)}.
 */
public final class CronSchedule implements Schedule {

  private final String expression;
  private final String description;
  private final CronFields fields;

  CronSchedule(String expression, String description, CronFields fields) {
    this.expression = expression;
    this.description = description;
    this.fields = fields;
  }

  /** The 5-field cron expression, with presets expanded: {@code @daily} gives {@code 0 0 * * *}. */
  public String expression() {
    return expression;
  }

  /** The schedule as the user wrote it (a preset, or the cron with single spaces). */
  @Override
  public String describe() {
    return description;
  }

  CronFields fields() {
    return fields;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronSchedule that
        && expression.equals(that.expression)
        && description.equals(that.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(expression, description);
  }

  @Override
  public String toString() {
    return "CronSchedule[" + description + "]";
  }
}
