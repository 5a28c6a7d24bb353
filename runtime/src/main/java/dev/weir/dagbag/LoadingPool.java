package dev.weir.dagbag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fixed pool of daemon threads that runs jobs, each with a timeout counted from its start. A job
 * that times out is interrupted and abandoned: the pool gets an extra thread until the abandoned
 * one returns, so a stuck script never blocks later work.
 */
final class LoadingPool implements AutoCloseable {
  private static final int WAITING = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;
  private static final int TIMED_OUT = 3;
  private static final int CANCELLED = 4;

  private final ThreadPoolExecutor executor;
  private final Object sizeLock = new Object();

  LoadingPool(int parallelism) {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory threads =
        runnable -> {
          Thread thread = new Thread(runnable, "weir-dagbag-loader-" + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    executor =
        new ThreadPoolExecutor(
            parallelism, parallelism, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    executor.allowCoreThreadTimeOut(true);
  }

  /** What became of one job. */
  sealed interface Outcome<T> {
    record Done<T>(T value) implements Outcome<T> {}

    record Failed<T>(Throwable error) implements Outcome<T> {}

    record TimedOut<T>() implements Outcome<T> {}

    /** The calling thread was interrupted before the job ended; it did not run or was stopped. */
    record Cancelled<T>() implements Outcome<T> {}
  }

  /**
   * Runs the jobs and waits for all of them, or for their timeouts. A value that a timed-out job
   * produces anyway is handed to {@code discard}. When the calling thread is interrupted, the jobs
   * still pending are cancelled and the interrupt flag is set again.
   *
   * @return one outcome per job, in order
   */
  <T> List<Outcome<T>> runAll(List<Callable<T>> work, Duration timeout, Consumer<T> discard) {
    BlockingQueue<Job<T>> events = new LinkedBlockingQueue<>();
    List<Job<T>> jobs = new ArrayList<>(work.size());
    for (Callable<T> callable : work) {
      Job<T> job = new Job<>(callable, discard, events);
      jobs.add(job);
      executor.execute(job);
    }
    Set<Job<T>> pending = new LinkedHashSet<>(jobs);
    long timeoutNanos = timeout.toNanos();
    boolean interrupted = false;
    while (!pending.isEmpty() && !interrupted) {
      long now = System.nanoTime();
      long wait = TimeUnit.SECONDS.toNanos(1);
      for (Iterator<Job<T>> it = pending.iterator(); it.hasNext(); ) {
        Job<T> job = it.next();
        int state = job.state.get();
        if (state == RUNNING) {
          long left = job.startedNanos + timeoutNanos - now;
          if (left <= 0) {
            job.stop(TIMED_OUT);
            it.remove();
          } else {
            wait = Math.min(wait, left);
          }
        } else if (state != WAITING) {
          it.remove();
        }
      }
      if (!pending.isEmpty()) {
        try {
          events.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      for (Job<T> job : pending) {
        job.stop(CANCELLED);
      }
      Thread.currentThread().interrupt();
    }
    return jobs.stream().map(Job::outcome).toList();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  int threadCount() {
    return executor.getPoolSize();
  }

  private void grow() {
    synchronized (sizeLock) {
      executor.setMaximumPoolSize(executor.getMaximumPoolSize() + 1);
      executor.setCorePoolSize(executor.getCorePoolSize() + 1);
    }
  }

  private void shrink() {
    synchronized (sizeLock) {
      executor.setCorePoolSize(executor.getCorePoolSize() - 1);
      executor.setMaximumPoolSize(executor.getMaximumPoolSize() - 1);
    }
  }

  private final class Job<T> implements Runnable {
    private final Callable<T> work;
    private final Consumer<T> discard;
    private final BlockingQueue<Job<T>> events;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile long startedNanos;
    private Thread runner; // guarded by this
    private T value; // guarded by this
    private Throwable failure; // guarded by this
    private boolean abandoned; // guarded by this

    Job(Callable<T> work, Consumer<T> discard, BlockingQueue<Job<T>> events) {
      this.work = work;
      this.discard = discard;
      this.events = events;
    }

    @Override
    public void run() {
      synchronized (this) {
        runner = Thread.currentThread();
        startedNanos = System.nanoTime();
        if (!state.compareAndSet(WAITING, RUNNING)) {
          return;
        }
      }
      events.add(this);
      T result = null;
      Throwable error = null;
      try {
        result = work.call();
      } catch (Throwable e) { // NOPMD: the caller decides what a failure means
        error = e;
      }
      boolean stopped;
      boolean replaced;
      synchronized (this) {
        value = result;
        failure = error;
        stopped = !state.compareAndSet(RUNNING, DONE);
        replaced = abandoned;
      }
      if (stopped) {
        // The interrupt was meant for this job only; the next job must not see it.
        Thread.interrupted();
        if (result != null) {
          discard.accept(result);
        }
        if (replaced) {
          shrink();
        }
      }
      events.add(this);
    }

    /**
     * Interrupts a running job (and gives the pool a thread in its place) or cancels a waiting one.
     */
    synchronized void stop(int newState) {
      if (state.compareAndSet(RUNNING, newState)) {
        // Grow before the job can see the interrupt, so its shrink always follows this grow.
        grow();
        abandoned = true;
        runner.interrupt();
      } else {
        state.compareAndSet(WAITING, newState);
      }
    }

    synchronized Outcome<T> outcome() {
      return switch (state.get()) {
        case DONE -> failure == null ? new Outcome.Done<>(value) : new Outcome.Failed<>(failure);
        case TIMED_OUT -> new Outcome.TimedOut<>();
        default -> new Outcome.Cancelled<>();
      };
    }
  }
}
