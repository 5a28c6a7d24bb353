package dev.weir.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Fire instants of a cron evaluated on wall times in a zone, with a deterministic DST policy.
 *
 * <p>A wall time in a spring-forward gap fires at the end of the gap (the transition instant);
 * several wall times mapping there fire once. A wall time in a fall-back overlap fires at its
 * earlier instant, and also at its later one when the cron fires in every hour, so hourly crons run
 * once per real hour.
 *
 * <p>The earliest instant of a wall time never decreases as the wall time grows, and neither does
 * the latest; the searches below stop on those bounds, so they only look past the first candidate
 * near a fall-back transition.
 */
final class CronFireTimes implements FireTimes {

  private final CronFields cron;
  private final ZoneRules rules;
  private final boolean bothInOverlap;

  CronFireTimes(CronFields cron, ZoneId zone) {
    this.cron = cron;
    this.rules = zone.getRules();
    this.bothInOverlap = cron.everyHour();
  }

  @Override
  public Instant next(Instant t, boolean inclusive) {
    ZoneOffset offset = rules.getOffset(t);
    ZoneOffsetTransition coming = rules.nextTransition(t);
    if (coming != null
        && coming.isOverlap()
        && !coming.getInstant().isAfter(t.plus(coming.getDuration().abs()))) {
      // Wall times repeated after the coming fall-back can be earlier than t's wall time.
      offset = coming.getOffsetAfter();
    }
    LocalDateTime wall = cron.next(wall(t, offset).minusMinutes(1));
    Instant best = null;
    while (true) {
      Instant earliest = earliest(wall);
      if (best != null && !earliest.isBefore(best)) {
        return best;
      }
      if (isAfter(earliest, t, inclusive)) {
        return earliest; // no later wall time can fire before it
      }
      Instant latest = latest(wall);
      if (bothInOverlap
          && isAfter(latest, t, inclusive)
          && (best == null || latest.isBefore(best))) {
        best = latest;
      }
      wall = cron.next(wall);
    }
  }

  @Override
  public Instant previous(Instant t, boolean inclusive) {
    ZoneOffset offset = rules.getOffset(t);
    ZoneOffsetTransition past = rules.previousTransition(t.plusSeconds(1));
    if (past != null
        && past.isOverlap()
        && !past.getInstant().isBefore(t.minus(past.getDuration().abs()))) {
      // Fires just before the last fall-back have wall times later than t's wall time.
      offset = past.getOffsetBefore();
    }
    LocalDateTime wall = cron.previous(wall(t, offset).plusMinutes(1));
    Instant best = null;
    while (true) {
      Instant upper = bothInOverlap ? latest(wall) : earliest(wall);
      if (best != null && !upper.isAfter(best)) {
        return best;
      }
      if (isBefore(upper, t, inclusive)) {
        return upper; // no earlier wall time can fire after it
      }
      Instant earliest = earliest(wall);
      if (isBefore(earliest, t, inclusive) && (best == null || earliest.isAfter(best))) {
        best = earliest;
      }
      wall = cron.previous(wall);
    }
  }

  private static boolean isAfter(Instant candidate, Instant t, boolean inclusive) {
    return candidate.isAfter(t) || (inclusive && candidate.equals(t));
  }

  private static boolean isBefore(Instant candidate, Instant t, boolean inclusive) {
    return candidate.isBefore(t) || (inclusive && candidate.equals(t));
  }

  private static LocalDateTime wall(Instant t, ZoneOffset offset) {
    return LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), offset);
  }

  /** The first instant showing this wall time, or the end of the gap it falls in. */
  private Instant earliest(LocalDateTime wall) {
    if (rules.isFixedOffset()) {
      return wall.toInstant(rules.getOffset(Instant.EPOCH));
    }
    List<ZoneOffset> offsets = rules.getValidOffsets(wall);
    if (offsets.isEmpty()) {
      return rules.getTransition(wall).getInstant();
    }
    Instant instant = wall.toInstant(offsets.get(0));
    for (ZoneOffset other : offsets) {
      Instant candidate = wall.toInstant(other);
      if (candidate.isBefore(instant)) {
        instant = candidate;
      }
    }
    return instant;
  }

  /** The last instant showing this wall time, or the end of the gap it falls in. */
  private Instant latest(LocalDateTime wall) {
    if (rules.isFixedOffset()) {
      return wall.toInstant(rules.getOffset(Instant.EPOCH));
    }
    List<ZoneOffset> offsets = rules.getValidOffsets(wall);
    if (offsets.isEmpty()) {
      return rules.getTransition(wall).getInstant();
    }
    Instant instant = wall.toInstant(offsets.get(0));
    for (ZoneOffset other : offsets) {
      Instant candidate = wall.toInstant(other);
      if (candidate.isAfter(instant)) {
        instant = candidate;
      }
    }
    return instant;
  }
}
