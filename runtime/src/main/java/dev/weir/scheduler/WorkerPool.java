package dev.weir.scheduler;

import dev.weir.executor.TaskLog;
import dev.weir.operators.RenderedFields;
import dev.weir.run.TaskRunner;
import dev.weir.run.TryOutcome;
import dev.weir.state.TaskState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's worker slots: one thread per slot. Groovy tasks run on it (with their timeout), bash
 * tasks as child processes it waits for. Every try writes its own log file as it runs.
 */
final class WorkerPool implements TaskExecutor {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final int slots;
  private final TaskRunner runner;
  private final Clock clock;
  private final ExecutorService threads;
  // Guarded by itself: a cancel and a try's end never cross.
  private final Map<TryKey, Thread> running = new HashMap<>();
  private final Set<TryKey> cancelled = new HashSet<>();
  private volatile Consumer<TryResult> listener = result -> {};

  WorkerPool(int slots, TaskRunner runner, Clock clock) {
    this.slots = slots;
    this.runner = runner;
    this.clock = clock;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            slots,
            task -> {
              Thread thread = new Thread(task, "weir-worker-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public void onEnd(Consumer<TryResult> listener) {
    this.listener = listener;
  }

  @Override
  public int slots() {
    return slots;
  }

  /** How many tries run now. */
  int running() {
    synchronized (running) {
      return running.size();
    }
  }

  @Override
  public void submit(TryRequest request) {
    threads.execute(() -> runTry(request));
  }

  private void runTry(TryRequest request) {
    synchronized (running) {
      if (cancelled.remove(request.key())) {
        listener.accept(new TryResult(request.key(), stopped()));
        return;
      }
      running.put(request.key(), Thread.currentThread());
    }
    TryOutcome outcome;
    // Outside the try's run: a try that was stopped still ran what it rendered.
    RenderedFields rendered = new RenderedFields();
    try (TaskLog taskLog = new TaskLog(request.logFile(), clock, null, runner.services()::mask)) {
      try {
        outcome = runner.run(request.attempt(), taskLog, rendered);
      } catch (InterruptedException e) {
        taskLog.error("The try was stopped");
        outcome = stopped();
      } catch (RuntimeException | Error e) {
        // A fault of Weir's, not of the task: still a failed try, never a lost one.
        log.error("Try {} of task {} failed inside Weir", request.tryNumber(), request.taskId(), e);
        taskLog.error("Weir could not run the try: {}", e.toString());
        outcome = new TryOutcome(TaskState.FAILED, null, e.toString(), Duration.ZERO);
      }
    } catch (IOException e) {
      log.error("Cannot write the log {}", request.logFile(), e);
      outcome =
          new TryOutcome(
              TaskState.FAILED, null, "cannot write its log: " + e.getMessage(), Duration.ZERO);
    }
    synchronized (running) {
      running.remove(request.key());
      cancelled.remove(request.key());
      Thread.interrupted(); // a cancel that came late must not leak into the next try
    }
    listener.accept(
        new TryResult(request.key(), outcome, rendered.masked(runner.services()::mask)));
  }

  private static TryOutcome stopped() {
    return new TryOutcome(TaskState.FAILED, null, "the try was stopped", Duration.ZERO);
  }

  @Override
  public void cancel(TryKey key) {
    synchronized (running) {
      Thread thread = running.get(key);
      if (thread != null) {
        thread.interrupt();
      } else {
        cancelled.add(key);
      }
    }
  }

  @Override
  public boolean drain(Duration grace) throws InterruptedException {
    threads.shutdown();
    if (threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    threads.shutdownNow();
    threads.awaitTermination(5, TimeUnit.SECONDS);
    return false;
  }

  @Override
  public void close() {
    threads.shutdownNow();
    runner.close();
  }
}
