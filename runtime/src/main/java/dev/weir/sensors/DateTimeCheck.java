package dev.weir.sensors;

import dev.weir.run.Dates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * {@code dateTimeSensor}: done once the clock reaches the target. Waiting says when, so that the
 * next poke comes exactly at the target instead of a poke interval later.
 */
final class DateTimeCheck implements Check {
  private final Instant target;
  private final ZoneId zone;
  private final Clock clock;

  DateTimeCheck(Instant target, ZoneId zone, Clock clock) {
    this.target = target;
    this.zone = zone;
    this.clock = clock;
  }

  @Override
  public Poke poke() {
    if (!clock.instant().isBefore(target)) {
      return Poke.done(null);
    }
    return Poke.waitingUntil(target, "the target time " + Dates.iso(target, zone) + " is ahead");
  }
}
