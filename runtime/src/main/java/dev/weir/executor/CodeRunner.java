package dev.weir.executor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in-process code (Groovy closures, Java tasks) on worker threads with an optional timeout.
 * Thread-safe. Workers are daemon threads of a pool that grows as needed; {@link #close()} stops
 * it.
 *
 * <p>On timeout the worker thread is interrupted. Java cannot stop a thread that ignores
 * interrupts: such code keeps its worker busy after the outcome is returned (a warning is logged).
 */
public final class CodeRunner implements AutoCloseable {
  /** The default time to wait for interrupted code to stop before giving up on it. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(CodeRunner.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ExecutorService workers;
  private final Duration stopGrace;

  /** A runner that waits {@link #DEFAULT_STOP_GRACE} for timed-out code to stop. */
  public CodeRunner() {
    this(DEFAULT_STOP_GRACE);
  }

  /**
   * A runner that, after interrupting timed-out code, waits up to {@code stopGrace} for it to stop
   * before returning, so that it is not still running when the next try starts.
   */
  public CodeRunner(Duration stopGrace) {
    if (stopGrace == null || stopGrace.isNegative()) {
      throw new IllegalArgumentException("stop grace must be zero or more, got " + stopGrace);
    }
    this.stopGrace = stopGrace;
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        body -> {
          Thread t = new Thread(body, "weir-code-" + pool + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.workers = Executors.newCachedThreadPool(factory);
  }

  /**
   * Runs {@code body} on a worker thread and waits for it.
   *
   * @param timeout how long the body may run; null means no limit
   * @return the result, the error the body threw (any {@link Throwable}), or a timeout
   * @throws InterruptedException if the calling thread is interrupted while waiting; the body is
   *     then interrupted too (and not waited for)
   * @throws IllegalStateException if the runner is closed
   */
  public <T> CodeOutcome<T> run(Callable<T> body, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(body, "body");
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    long started = System.nanoTime();
    Future<T> future;
    try {
      future =
          workers.submit(
              () -> {
                try {
                  return body.call();
                } finally {
                  stopped.countDown();
                }
              });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("code runner is closed", e);
    }
    try {
      T result =
          timeout == null ? future.get() : future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new CodeOutcome<>(result, null, false, since(started));
    } catch (ExecutionException e) {
      return new CodeOutcome<>(null, e.getCause(), false, since(started));
    } catch (TimeoutException e) {
      Duration duration = since(started);
      if (!future.cancel(true)) {
        // It finished just as the timeout expired: report what it did.
        return completed(future, started);
      }
      if (!stopped.await(stopGrace.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn(
            "Code still running {} after its timeout of {}: it ignores interrupts",
            stopGrace,
            timeout);
      }
      return new CodeOutcome<>(null, null, true, duration);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }

  /**
   * Runs {@code body} on the calling thread: with no timeout to enforce, no other thread is needed,
   * which spares two thread hand-offs per call. An interrupt of the caller reaches the body at
   * once.
   *
   * @return the result, or the error the body threw (any {@link Throwable})
   * @throws InterruptedException if the calling thread was interrupted while the body ran: the body
   *     let an {@link InterruptedException} out, or returned with the interrupt still set
   */
  public <T> CodeOutcome<T> runHere(Callable<T> body) throws InterruptedException {
    Objects.requireNonNull(body, "body");
    long started = System.nanoTime();
    CodeOutcome<T> outcome;
    try {
      outcome = new CodeOutcome<>(body.call(), null, false, since(started));
    } catch (InterruptedException e) {
      throw e;
    } catch (Throwable e) { // NOPMD: whatever the code throws is its outcome
      outcome = new CodeOutcome<>(null, e, false, since(started));
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while running code");
    }
    return outcome;
  }

  private static <T> CodeOutcome<T> completed(Future<T> future, long started)
      throws InterruptedException {
    try {
      return new CodeOutcome<>(future.get(), null, false, since(started));
    } catch (ExecutionException e) {
      return new CodeOutcome<>(null, e.getCause(), false, since(started));
    }
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Interrupts running code and stops the worker threads. */
  @Override
  public void close() {
    workers.shutdownNow();
  }
}
