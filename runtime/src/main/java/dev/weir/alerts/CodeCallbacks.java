package dev.weir.alerts;

import dev.weir.model.CallbackContext;
import groovy.lang.Closure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code { ctx -> … }} callbacks on a bounded pool, each with a timeout: one that runs too
 * long is interrupted and abandoned, one that throws is logged. Neither changes any state.
 */
final class CodeCallbacks {
  private static final Logger log = LoggerFactory.getLogger(CodeCallbacks.class);

  private final ExecutorService pool;
  private final ScheduledExecutorService timer;
  private final Duration timeout;
  private final Consumer<String> failed;

  CodeCallbacks(
      ExecutorService pool,
      ScheduledExecutorService timer,
      Duration timeout,
      Consumer<String> failed) {
    this.pool = pool;
    this.timer = timer;
    this.timeout = timeout;
    this.failed = failed;
  }

  /**
   * Calls the closure with the context.
   *
   * @param about names the DAG, run, task and event, for logs
   * @return completes with {@code sent} or {@code failed: …}; never exceptionally. Stays incomplete
   *     when the pool is shut down first.
   */
  CompletableFuture<String> run(Closure<?> body, CallbackContext ctx, String about) {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    try {
      pool.execute(() -> call(body, ctx, about, outcome));
    } catch (RejectedExecutionException e) {
      log.debug("Not calling the callback of {}: shutting down", about);
    }
    return outcome;
  }

  private void call(
      Closure<?> body, CallbackContext ctx, String about, CompletableFuture<String> outcome) {
    Thread thread = Thread.currentThread();
    Object lock = new Object();
    boolean[] finished = {false};
    ScheduledFuture<?> alarm =
        timer.schedule(
            () -> {
              synchronized (lock) {
                if (finished[0]
                    || !outcome.complete("failed: code callback timed out after " + timeout)) {
                  return;
                }
                thread.interrupt();
              }
              log.warn(
                  "The code callback of {} still runs after {}: interrupted and abandoned",
                  about,
                  timeout);
              failed.accept("code");
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    ClassLoader before = thread.getContextClassLoader();
    try {
      // Classes of the DAG's script resolve through the script's loader.
      thread.setContextClassLoader(body.getClass().getClassLoader());
      Closure<?> copy = (Closure<?>) body.clone();
      copy.setDelegate(ctx);
      if (copy.getMaximumNumberOfParameters() == 0) {
        copy.call();
      } else {
        copy.call(ctx);
      }
      if (outcome.complete("sent")) {
        log.debug("Called the code callback of {}", about);
      }
    } catch (Throwable e) { // NOPMD: whatever a callback throws is logged, never raised
      if (outcome.complete("failed: code callback threw " + e)) {
        log.warn("The code callback of {} failed; nothing else is changed", about, e);
        failed.accept("code");
      }
    } finally {
      alarm.cancel(false);
      synchronized (lock) {
        finished[0] = true;
      }
      Thread.interrupted(); // an interrupt meant for this callback must not reach the next
      thread.setContextClassLoader(before);
    }
  }
}
