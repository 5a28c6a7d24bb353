package dev.weir.schedule;

import java.time.Duration;
import java.time.Instant;

/** Points {@code anchor + k * delta} for every integer k: real time, no time zone involved. */
final class DeltaFireTimes implements FireTimes {

  private final Instant anchor;
  private final Duration delta;

  DeltaFireTimes(Instant anchor, Duration delta) {
    this.anchor = anchor;
    this.delta = delta;
  }

  @Override
  public Instant next(Instant t, boolean inclusive) {
    Instant floor = floor(t);
    return inclusive && floor.equals(t) ? floor : floor.plus(delta);
  }

  @Override
  public Instant previous(Instant t, boolean inclusive) {
    Instant floor = floor(t);
    return !inclusive && floor.equals(t) ? floor.minus(delta) : floor;
  }

  /** The last point at or before {@code t}. */
  private Instant floor(Instant t) {
    Duration since = Duration.between(anchor, t);
    long steps = since.dividedBy(delta); // truncates toward zero
    if (since.isNegative() && !delta.multipliedBy(steps).equals(since)) {
      steps--;
    }
    return anchor.plus(delta.multipliedBy(steps));
  }
}
