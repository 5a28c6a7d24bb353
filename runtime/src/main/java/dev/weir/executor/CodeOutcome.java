package dev.weir.executor;

import java.time.Duration;

/**
 * How code run by {@link CodeRunner} ended: with a result, an error, or a timeout.
 *
 * @param result what the code returned; null if it failed, timed out, or returned null
 * @param error what the code threw; null if it returned or timed out
 * @param timedOut whether the timeout expired (the worker thread was then interrupted)
 * @param duration from submission until the code returned, threw, or timed out
 * @param <T> the result type
 */
public record CodeOutcome<T>(T result, Throwable error, boolean timedOut, Duration duration) {

  /** Whether the code returned without throwing or timing out. */
  public boolean succeeded() {
    return error == null && !timedOut;
  }
}
