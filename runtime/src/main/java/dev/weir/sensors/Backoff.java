package dev.weir.sensors;

import dev.weir.model.SensorOptions;
import java.time.Duration;

/**
 * The waits between pokes: the poke interval, or with exponential backoff the interval doubled
 * after each poke (i, 2i, 4i, …) up to {@code maxPokeInterval}. No jitter, so waits are
 * predictable; the caller also caps each wait by the time left before the timeout.
 */
final class Backoff {
  private static final int MAX_DOUBLINGS = 40;

  private final SensorOptions options;

  Backoff(SensorOptions options) {
    this.options = options;
  }

  /** The wait after poke number {@code pokesDone} (1 after the first poke). */
  Duration afterPoke(int pokesDone) {
    Duration wait = options.pokeInterval();
    if (options.exponentialBackoff()) {
      wait = wait.multipliedBy(1L << Math.min(Math.max(pokesDone - 1, 0), MAX_DOUBLINGS));
    }
    Duration max = options.maxPokeInterval();
    return max != null && wait.compareTo(max) > 0 ? max : wait;
  }

  /**
   * The wait after a poke made {@code elapsed} after the first one, for reschedule mode where each
   * poke is its own try and no count is kept: the pokes done are those whose waits fit in the
   * elapsed time.
   */
  Duration afterElapsed(Duration elapsed) {
    if (!options.exponentialBackoff()) {
      return afterPoke(1);
    }
    Duration waited = Duration.ZERO;
    int pokes = 1;
    while (pokes < 10_000) {
      Duration next = waited.plus(afterPoke(pokes));
      if (next.compareTo(elapsed) > 0) {
        break;
      }
      waited = next;
      pokes++;
    }
    return afterPoke(pokes);
  }
}
