package dev.weir.dsl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The settings of {@code triggerDagRun('id') { dagId 'other'; conf([k: 'v']) }}. */
public final class TriggerDagRunSettings extends SensorSettings {
  private String dagId;
  private final Map<String, Object> conf = new LinkedHashMap<>();
  private String logicalDate;
  private boolean waitForCompletion;
  private Object allowedStates = List.of("success");
  private Object failedStates = List.of("failed");

  TriggerDagRunSettings(TaskSettings parent) {
    super(
        parent,
        List.of(
            "dagId", "conf", "logicalDate", "waitForCompletion", "allowedStates", "failedStates"));
  }

  /** The DAG to run; a template. */
  public void dagId(Object value) {
    dagId = text("dagId", value);
  }

  /** The run's configuration; string values are templates. */
  public void conf(Map<?, ?> values) {
    values.forEach((k, v) -> conf.put(String.valueOf(k), plain(v)));
  }

  /** GStrings become Strings, so the model holds plain JSON-like values. */
  private static Object plain(Object value) {
    if (value instanceof CharSequence text) {
      return text.toString();
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
      return copy;
    } else if (value instanceof List<?> list) {
      return list.stream().map(TriggerDagRunSettings::plain).toList();
    }
    return value;
  }

  /** The run's logical date, a template such as {@code '{{ ds }}'} (default: the trigger time). */
  public void logicalDate(Object value) {
    logicalDate = text("logicalDate", value);
  }

  /** Waits until the run ends, and fails when it fails (default false). */
  public void waitForCompletion(Object value) {
    waitForCompletion = bool("waitForCompletion", value);
  }

  /** Run states that end the wait with success (default {@code ['success']}). */
  public void allowedStates(Object states) {
    allowedStates = states;
  }

  /** Run states that end the wait with failure (default {@code ['failed']}). */
  public void failedStates(Object states) {
    failedStates = states;
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "dagId" -> dagId(value);
      case "conf" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new DslException(
              "conf takes a map such as [day: '{{ ds }}'], got " + Names.describe(value));
        }
        conf(map);
      }
      case "logicalDate" -> logicalDate(value);
      case "waitForCompletion" -> waitForCompletion(value);
      case "allowedStates" -> allowedStates(value);
      case "failedStates" -> failedStates(value);
      default -> super.set(name, value);
    }
  }

  String dagId() {
    return dagId;
  }

  Map<String, Object> confValues() {
    return conf;
  }

  String logicalDateText() {
    return logicalDate;
  }

  boolean waits() {
    return waitForCompletion;
  }

  List<String> allowed() {
    return states("allowedStates", allowedStates, RUN_STATES);
  }

  List<String> failed() {
    return states("failedStates", failedStates, RUN_STATES);
  }
}
