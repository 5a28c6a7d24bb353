package dev.weir.scheduler;

import dev.weir.run.TryOutcome;

/** How a try ended, as an executor reports it to the scheduler. */
record TryResult(TryKey key, TryOutcome outcome) {}
