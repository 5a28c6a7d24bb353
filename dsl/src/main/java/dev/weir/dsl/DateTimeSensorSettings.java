package dev.weir.dsl;

import java.time.Duration;
import java.util.List;

/** The settings of {@code dateTimeSensor('id') { targetTime '{{ data_interval_end }}' }}. */
public final class DateTimeSensorSettings extends SensorSettings {
  private String targetTime;
  private Duration afterIntervalEnd;

  DateTimeSensorSettings(TaskSettings parent) {
    super(parent, List.of("targetTime"));
  }

  /**
   * When the sensor is done: a date-time template such as {@code '{{ data_interval_end }}'}, or a
   * duration after the end of the run's data interval, such as {@code 2.hours}.
   */
  public void targetTime(Object value) {
    if (value instanceof CharSequence text) {
      targetTime = text.toString();
      afterIntervalEnd = null;
    } else if (value instanceof Duration || value instanceof Number) {
      afterIntervalEnd = duration("targetTime", value);
      targetTime = null;
    } else {
      throw new DslException(
          "targetTime takes a date-time such as '{{ data_interval_end }}' or a duration after the"
              + " data interval's end such as 2.hours, got "
              + Names.describe(value));
    }
  }

  @Override
  void set(String name, Object value) {
    if (name.equals("targetTime")) {
      targetTime(value);
    } else {
      super.set(name, value);
    }
  }

  String target() {
    return targetTime;
  }

  Duration afterEnd() {
    return afterIntervalEnd;
  }
}
