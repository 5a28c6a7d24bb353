package dev.weir.sensors;

import java.time.Clock;

/**
 * What sensors need beyond the task's own services: the clock they measure pokes and timeouts by,
 * how they wait, and other DAGs' runs.
 */
public record SensorSupport(Clock clock, Sleeper sleeper, RunLookup runs) {

  /** Real time and no metadata store: sensors that read other DAGs' runs fail saying so. */
  public static SensorSupport withoutStore(Clock clock) {
    return new SensorSupport(
        clock, Sleeper.THREAD, RunLookup.unavailable("there is no metadata store in this process"));
  }
}
