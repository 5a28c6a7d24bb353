package dev.weir.sensors;

import java.time.Duration;

/** Waits between two pokes; tests replace it to advance a clock instead. */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the calling thread; an interrupt (a cancelled try) ends the wait at once. */
  Sleeper THREAD = duration -> Thread.sleep(Math.max(0, duration.toMillis()));

  /**
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;
}
