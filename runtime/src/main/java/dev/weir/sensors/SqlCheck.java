package dev.weir.sensors;

import dev.weir.model.SensorCheck;
import dev.weir.run.TaskInstanceContext;

/** {@code sqlSensor}: written once the shared JDBC helper lands. */
final class SqlCheck {
  private SqlCheck() {}

  static Check of(SensorCheck.Sql spec, TaskInstanceContext context, Rendering rendering) {
    throw new SensorProblem("sqlSensor is not available yet");
  }
}
