package dev.weir.scheduler;

import dev.weir.run.TryOutcome;
import java.util.Map;

/**
 * How a try ended, as an executor reports it to the scheduler.
 *
 * @param rendered the template fields the try rendered, secrets masked, in the order it rendered
 *     them; recorded with its end
 */
record TryResult(TryKey key, TryOutcome outcome, Map<String, String> rendered) {

  /** The end of a try that rendered nothing: it did not run, or runs no template. */
  TryResult(TryKey key, TryOutcome outcome) {
    this(key, outcome, Map.of());
  }
}
