package dev.weir.scheduler;

import dev.weir.executor.TaskLog;
import dev.weir.operators.RenderedFields;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.run.TryOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An executor for tests that runs nothing by itself: tries wait until the test runs them (for real,
 * through a TaskRunner, on the test's thread), or runs each try the moment it is submitted.
 */
final class ManualExecutor implements TaskExecutor {
  private final int slots;
  private final boolean runAtOnce;
  private final TaskRunner runner;
  private final Clock clock;
  private final Map<TryKey, TryRequest> waiting = new LinkedHashMap<>();
  private final List<TryKey> cancelled = new ArrayList<>();
  private Consumer<TryResult> listener;

  ManualExecutor(int slots, boolean runAtOnce, Clock clock) {
    this(
        slots,
        runAtOnce,
        clock,
        new TaskRunner(TaskServices.local(new dev.weir.run.InMemoryXComs())));
  }

  /** Runs tries with this runner (one whose sensors use the test's clock and store, say). */
  ManualExecutor(int slots, boolean runAtOnce, Clock clock, TaskRunner runner) {
    this.runner = runner;
    this.slots = slots;
    this.runAtOnce = runAtOnce;
    this.clock = clock;
  }

  @Override
  public void onEnd(Consumer<TryResult> listener) {
    this.listener = listener;
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public void submit(TryRequest request) {
    if (runAtOnce) {
      listener.accept(run(request));
    } else {
      waiting.put(request.key(), request);
    }
  }

  /** The tries submitted and not yet run. */
  List<TryRequest> waiting() {
    return List.copyOf(waiting.values());
  }

  /** Runs every waiting try for real. */
  void runWaiting() {
    for (TryRequest request : waiting()) {
      waiting.remove(request.key());
      listener.accept(run(request));
    }
  }

  /** Reports a waiting try as ended with this outcome, without running it. */
  void end(TryKey key, TryOutcome outcome) {
    waiting.remove(key);
    listener.accept(new TryResult(key, outcome));
  }

  List<TryKey> cancelled() {
    return cancelled;
  }

  /** Runs a try for real, with its rendered fields masked as {@link WorkerPool} does. */
  private TryResult run(TryRequest request) {
    RenderedFields rendered = new RenderedFields();
    try (TaskLog log = new TaskLog(request.logFile(), clock)) {
      TryOutcome outcome = runner.run(request.attempt(), log, rendered);
      return new TryResult(request.key(), outcome, rendered.masked(runner.services()::mask));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void cancel(TryKey key) {
    cancelled.add(key);
  }

  @Override
  public boolean drain(Duration grace) {
    return waiting.isEmpty();
  }

  @Override
  public void close() {
    runner.close();
  }
}
