package dev.weir.sensors;

import dev.weir.model.SensorCheck;
import dev.weir.run.TaskInstanceContext;

/** {@code httpSensor}: written once the shared HTTP helper lands. */
final class HttpCheck {
  private HttpCheck() {}

  static Check of(SensorCheck.Http spec, TaskInstanceContext context, Rendering rendering) {
    throw new SensorProblem("httpSensor is not available yet");
  }
}
