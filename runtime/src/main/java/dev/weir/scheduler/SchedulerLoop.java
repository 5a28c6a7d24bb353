package dev.weir.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs scheduler passes: at once when a try ends or the DAG folder changes, on a
 * tick for what time brings, and at the next retry's time. A failed pass is logged and the loop
 * keeps running; the work it did not commit is committed by the next pass.
 */
final class SchedulerLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerLoop.class);

  private final SchedulerCore core;
  private final Clock clock;
  private final Duration tickInterval;
  private final Runnable afterTick;
  private final Semaphore work = new Semaphore(0);
  private final Thread thread;
  private volatile boolean stopping;

  /**
   * @param afterTick runs on the loop's thread after each tick (renewing the lease); may throw
   */
  SchedulerLoop(SchedulerCore core, Clock clock, Duration tickInterval, Runnable afterTick) {
    this.core = core;
    this.clock = clock;
    this.tickInterval = tickInterval;
    this.afterTick = afterTick;
    this.thread = new Thread(this::run, "weir-scheduler");
    core.onWork(work::release);
  }

  void start() {
    thread.start();
  }

  private void run() {
    Instant nextTick = clock.instant();
    while (!stopping) {
      try {
        Instant now = clock.instant();
        boolean tick = !now.isBefore(nextTick);
        core.pass(tick);
        if (tick) {
          afterTick.run();
          nextTick = now.plus(tickInterval);
        }
        waitForWork(nextTick);
      } catch (InterruptedException e) {
        if (!stopping) {
          log.warn("The scheduler loop was interrupted; it keeps running");
        }
      } catch (Throwable e) { // NOPMD: one failed pass must not stop scheduling
        log.error("A scheduler pass failed; the next one retries its work", e);
        pause();
      }
    }
    try {
      core.pass(false); // commits what the last tries reported
    } catch (RuntimeException e) {
      log.error("The last scheduler pass failed", e);
    }
  }

  private void waitForWork(Instant nextTick) throws InterruptedException {
    if (core.hasEvents()) {
      work.drainPermits();
      return;
    }
    Instant until = nextTick;
    Instant retry = core.nextDue();
    if (retry != null && retry.isBefore(until)) {
      until = retry;
    }
    long millis = Math.max(0, Duration.between(clock.instant(), until).toMillis());
    if (work.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
      work.drainPermits();
    }
  }

  private void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops starting tries; tries that run go on and their ends are still recorded. */
  void stopStarting() {
    core.stopStarting();
    work.release();
  }

  /** Ends the loop after one last pass. */
  @Override
  public void close() {
    stopping = true;
    work.release();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
