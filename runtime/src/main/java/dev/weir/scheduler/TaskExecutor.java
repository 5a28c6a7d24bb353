package dev.weir.scheduler;

import java.time.Duration;
import java.util.function.Consumer;

/** Runs tries and reports each one's end. */
interface TaskExecutor extends AutoCloseable {
  /** Sets who hears about ended tries; called once, before the first {@link #submit}. */
  void onEnd(Consumer<TryResult> listener);

  /** How many tries may run at once. */
  int slots();

  /** Starts a try; its end is reported to the listener, from any thread. */
  void submit(TryRequest request);

  /** Stops a running try (its end is still reported). */
  void cancel(TryKey key);

  /**
   * Waits up to {@code grace} for running tries to end, then stops the rest.
   *
   * @return whether every try ended within the grace period
   */
  boolean drain(Duration grace) throws InterruptedException;

  @Override
  void close();
}
