package dev.weir.alerts;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages on a small pool, retrying a failed send after a delay that doubles. The delays
 * wait on a timer, never on a pool thread, so a failing endpoint holds no thread between tries.
 */
final class Deliveries {
  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

  private final Executor pool;
  private final ScheduledExecutorService timer;
  private final int attempts;
  private final Duration firstDelay;
  private final Consumer<String> failed;

  /**
   * @param attempts how many tries in all
   * @param failed told the notifier kind of every message that failed all its tries
   */
  Deliveries(
      Executor pool,
      ScheduledExecutorService timer,
      int attempts,
      Duration firstDelay,
      Consumer<String> failed) {
    this.pool = pool;
    this.timer = timer;
    this.attempts = attempts;
    this.firstDelay = firstDelay;
    this.failed = failed;
  }

  /**
   * Sends the message.
   *
   * @return completes with {@code sent}, or {@code failed: …} naming the notifier and the last
   *     error; never exceptionally. Stays incomplete when the pool is shut down first.
   */
  CompletableFuture<String> deliver(Notifier notifier, Message message) {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    attempt(notifier, message, 1, outcome);
    return outcome;
  }

  private void attempt(
      Notifier notifier, Message message, int attempt, CompletableFuture<String> outcome) {
    try {
      pool.execute(() -> send(notifier, message, attempt, outcome));
    } catch (RejectedExecutionException e) {
      log.debug("Not sending {} by {}: shutting down", message.about(), notifier.describe());
    }
  }

  private void send(
      Notifier notifier, Message message, int attempt, CompletableFuture<String> outcome) {
    try {
      notifier.send(message);
      log.debug("Sent {} by {} (try {})", message.about(), notifier.describe(), attempt);
      outcome.complete("sent");
    } catch (Throwable e) { // NOPMD: whatever a notifier throws is its failure
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return; // shutting down: the row stays pending and is sent after a restart
      }
      String reason = reason(e);
      if (attempt < attempts) {
        Duration delay = firstDelay.multipliedBy(1L << Math.min(attempt - 1, 20));
        log.info(
            "Sending {} by {} failed (try {} of {}); trying again in {}: {}",
            message.about(),
            notifier.describe(),
            attempt,
            attempts,
            delay,
            reason);
        try {
          timer.schedule(
              () -> attempt(notifier, message, attempt + 1, outcome),
              delay.toNanos(),
              TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
          log.debug("Not retrying {}: shutting down", message.about());
        }
        return;
      }
      log.warn(
          "Sending {} by {} failed after {} tries; giving up on it",
          message.about(),
          notifier.describe(),
          attempts,
          e);
      failed.accept(notifier.kind());
      outcome.complete(
          "failed: " + notifier.describe() + " after " + attempts + " tries: " + reason);
    }
  }

  static String reason(Throwable e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
