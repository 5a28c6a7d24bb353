package dev.weir.schedule;

import java.time.Instant;

/** The schedule points (logical dates) of a periodic schedule, searched from any instant. */
interface FireTimes {

  /** The first point after {@code t}, or at {@code t} when {@code inclusive}. */
  Instant next(Instant t, boolean inclusive);

  /** The last point before {@code t}, or at {@code t} when {@code inclusive}. */
  Instant previous(Instant t, boolean inclusive);
}
