package dev.weir.dsl;

import java.time.Duration;
import java.util.List;

/** The settings of {@code externalTaskSensor('id') { externalDagId 'other'; … }}. */
public final class ExternalTaskSensorSettings extends SensorSettings {
  private String externalDagId;
  private String externalTaskId;
  private Object allowedStates = List.of("success");
  private Object failedStates = List.of();
  private Duration executionDelta;

  ExternalTaskSensorSettings(TaskSettings parent) {
    super(
        parent,
        List.of(
            "externalDagId", "externalTaskId", "allowedStates", "failedStates", "executionDelta"));
  }

  /** The DAG to watch. */
  public void externalDagId(Object value) {
    externalDagId = text("externalDagId", value);
  }

  /** The task to watch, or null (the default) to watch the whole run. */
  public void externalTaskId(Object value) {
    externalTaskId = value == null ? null : text("externalTaskId", value);
  }

  /** States that mean done (default {@code ['success']}). */
  public void allowedStates(Object states) {
    allowedStates = states;
  }

  /** States that fail the sensor at once (default none). */
  public void failedStates(Object states) {
    failedStates = states;
  }

  /** The watched run's logical date is this much before ours (default: the same date). */
  public void executionDelta(Object value) {
    executionDelta = duration("executionDelta", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "externalDagId" -> externalDagId(value);
      case "externalTaskId" -> externalTaskId(value);
      case "allowedStates" -> allowedStates(value);
      case "failedStates" -> failedStates(value);
      case "executionDelta" -> executionDelta(value);
      default -> super.set(name, value);
    }
  }

  String dagId() {
    return externalDagId;
  }

  String taskId() {
    return externalTaskId;
  }

  /** The states, checked against task states, or run states when the whole run is watched. */
  List<String> allowed() {
    return states("allowedStates", allowedStates, known());
  }

  List<String> failed() {
    return states("failedStates", failedStates, known());
  }

  private List<String> known() {
    return externalTaskId == null ? RUN_STATES : TASK_STATES;
  }

  Duration delta() {
    return executionDelta;
  }
}
