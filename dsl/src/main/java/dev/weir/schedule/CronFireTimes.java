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

  // Offsets never jump by 2 days or more, so 2 days away from a transition wall times are unique.
  private static final long MARGIN_SECONDS = 2 * 86_400;

  private final CronFields cron;
  private final ZoneRules rules;
  private final boolean bothInOverlap;
  private volatile Span span = new Span(Long.MAX_VALUE, Long.MIN_VALUE, ZoneOffset.UTC);

  CronFireTimes(CronFields cron, ZoneId zone) {
    this.cron = cron;
    this.rules = zone.getRules();
    this.bothInOverlap = cron.everyHour();
  }

  /**
   * Instants (epoch seconds) at least {@link #MARGIN_SECONDS} from any transition, all with one
   * offset: there, a wall time maps to exactly one instant. Cached because {@link
   * ZoneRules#getValidOffsets} costs about a microsecond; immutable, so sharing it is thread-safe.
   */
  private record Span(long safeFrom, long safeTo, ZoneOffset offset) {
    boolean contains(long epochSecond) {
      return safeFrom <= epochSecond && epochSecond <= safeTo;
    }
  }

  private Span spanAt(long epochSecond) {
    Span current = span;
    if (current.contains(epochSecond)) {
      return current;
    }
    Instant instant = Instant.ofEpochSecond(epochSecond);
    ZoneOffsetTransition previous = rules.previousTransition(instant.plusSeconds(1));
    ZoneOffsetTransition next = rules.nextTransition(instant);
    long from = previous == null ? Long.MIN_VALUE / 2 : previous.toEpochSecond() + MARGIN_SECONDS;
    long to = next == null ? Long.MAX_VALUE / 2 : next.toEpochSecond() - MARGIN_SECONDS;
    Span computed = new Span(from, to, rules.getOffset(instant));
    span = computed;
    return computed;
  }

  @Override
  public Instant next(Instant t, boolean inclusive) {
    Span around = spanAt(t.getEpochSecond());
    ZoneOffset offset = around.offset();
    if (!around.contains(t.getEpochSecond())) {
      offset = rules.getOffset(t);
      ZoneOffsetTransition past = rules.previousTransition(t.plusSeconds(1));
      if (past != null
          && past.isGap()
          && !past.getInstant().isBefore(t.minus(past.getDuration()))) {
        // Wall times in a gap just passed fire at its end, which may be t itself.
        offset = past.getOffsetBefore();
      }
      ZoneOffsetTransition coming = rules.nextTransition(t);
      if (coming != null
          && coming.isOverlap()
          && !coming.getInstant().isAfter(t.plus(coming.getDuration().abs()))) {
        // Wall times repeated after the coming fall-back can be earlier than t's wall time.
        offset = coming.getOffsetAfter();
      }
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
    Span around = spanAt(t.getEpochSecond());
    ZoneOffset offset = around.offset();
    ZoneOffsetTransition past = null;
    if (!around.contains(t.getEpochSecond())) {
      offset = rules.getOffset(t);
      past = rules.previousTransition(t.plusSeconds(1));
    }
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
    return showing(wall, true);
  }

  /** The last instant showing this wall time, or the end of the gap it falls in. */
  private Instant latest(LocalDateTime wall) {
    return showing(wall, false);
  }

  private Instant showing(LocalDateTime wall, boolean earliest) {
    Instant unique = unique(wall);
    if (unique != null) {
      return unique;
    }
    List<ZoneOffset> offsets = rules.getValidOffsets(wall);
    if (offsets.isEmpty()) {
      return rules.getTransition(wall).getInstant();
    }
    Instant instant = wall.toInstant(offsets.get(0));
    for (ZoneOffset other : offsets) {
      Instant candidate = wall.toInstant(other);
      if (earliest ? candidate.isBefore(instant) : candidate.isAfter(instant)) {
        instant = candidate;
      }
    }
    return instant;
  }

  /** The only instant showing this wall time when it is far from any transition, else null. */
  private Instant unique(LocalDateTime wall) {
    long local = wall.toEpochSecond(ZoneOffset.UTC);
    Span current = span;
    long instant = local - current.offset().getTotalSeconds();
    if (!current.contains(instant)) {
      current = spanAt(instant);
      instant = local - current.offset().getTotalSeconds();
      if (!current.contains(instant)) {
        return null;
      }
    }
    return Instant.ofEpochSecond(instant, wall.getNano());
  }
}
