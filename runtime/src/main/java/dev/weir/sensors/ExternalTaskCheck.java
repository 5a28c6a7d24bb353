package dev.weir.sensors;

import dev.weir.model.SensorCheck;
import dev.weir.run.Dates;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * {@code externalTaskSensor}: the watched task (or whole run) of another DAG, at our logical date
 * minus the execution delta, is in an allowed state; a failed state ends the sensor at once.
 */
final class ExternalTaskCheck implements Check {
  private final SensorCheck.ExternalTask spec;
  private final Instant logicalDate;
  private final ZoneId zone;
  private final RunLookup runs;

  ExternalTaskCheck(
      SensorCheck.ExternalTask spec, Instant ourLogicalDate, ZoneId zone, RunLookup runs) {
    this.spec = spec;
    this.logicalDate = ourLogicalDate.minus(spec.executionDelta());
    this.zone = zone;
    this.runs = runs;
  }

  @Override
  public Poke poke() {
    String what;
    Optional<String> state;
    if (spec.externalTaskId() == null) {
      what = "the run of dag '" + spec.externalDagId() + "' at " + Dates.iso(logicalDate, zone);
      state = runs.runState(spec.externalDagId(), logicalDate).map(s -> s.label());
    } else {
      what =
          "task '"
              + spec.externalTaskId()
              + "' of dag '"
              + spec.externalDagId()
              + "' at "
              + Dates.iso(logicalDate, zone);
      state =
          runs.taskState(spec.externalDagId(), logicalDate, spec.externalTaskId())
              .map(s -> s.label());
    }
    if (state.isEmpty()) {
      return Poke.waiting(what + " does not exist yet");
    }
    if (spec.failedStates().contains(state.get())) {
      return Poke.failed(what + " is " + state.get());
    }
    if (spec.allowedStates().contains(state.get())) {
      return Poke.done(null);
    }
    return Poke.waiting(
        what + " is " + state.get() + ", waiting for " + String.join(" or ", spec.allowedStates()));
  }
}
