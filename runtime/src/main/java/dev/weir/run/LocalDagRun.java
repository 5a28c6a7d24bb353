package dev.weir.run;

import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.state.Transitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one DAG run in this process with no database, as {@code weir dags test} does: tasks one at a
 * time in dependency order, trigger rules and retries (with their delays) honoured, bash tasks as
 * real child processes. {@code dependsOnPast} is ignored, as there is no earlier run.
 */
public final class LocalDagRun {
  /** Waits for a retry delay; tests replace it to advance a clock instead. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Hears each line written to any task's log, prefixed by nothing: the caller adds the task. */
  public interface LogListener {
    void line(String taskId, String line);
  }

  private final TaskRunner runner;
  private final InMemoryXComs xcoms;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Path logsRoot;
  private final LogListener listener;

  public LocalDagRun(
      TaskRunner runner,
      InMemoryXComs xcoms,
      Clock clock,
      Sleeper sleeper,
      Path logsRoot,
      LogListener listener) {
    this.runner = runner;
    this.xcoms = xcoms;
    this.clock = clock;
    this.sleeper = sleeper;
    this.logsRoot = logsRoot;
    this.listener = listener;
  }

  private static final class Instance {
    final TaskSpec task;
    TaskState state = TaskState.NONE;
    int tries;
    Instant start;
    Instant end;
    Instant retryAt;
    Object result;
    String error;
    Path logFile;

    Instance(TaskSpec task) {
      this.task = task;
    }

    void moveTo(TaskState next) {
      state = Transitions.check(state, next);
    }

    TaskInstanceReport report() {
      return new TaskInstanceReport(task.id(), state, tries, start, end, result, error, logFile);
    }
  }

  /** Runs every task of the run and reports how each ended. */
  public RunReport run(RunContext run) throws InterruptedException {
    DagSpec dag = run.dag();
    Map<String, Instance> instances = new LinkedHashMap<>();
    for (String taskId : dag.topologicalOrder()) {
      instances.put(taskId, new Instance(dag.tasks().get(taskId)));
    }
    while (true) {
      boolean progressed = false;
      for (Instance instance : instances.values()) {
        if (instance.state == TaskState.NONE) {
          progressed |= decide(run, instance, instances);
        } else if (instance.state == TaskState.UP_FOR_RETRY
            && !clock.instant().isBefore(instance.retryAt)) {
          runTry(run, instance, true);
          progressed = true;
        }
      }
      if (progressed) {
        continue;
      }
      Instant nextRetry =
          instances.values().stream()
              .filter(i -> i.state == TaskState.UP_FOR_RETRY)
              .map(i -> i.retryAt)
              .min(Instant::compareTo)
              .orElse(null);
      if (nextRetry == null) {
        break;
      }
      sleeper.sleep(Duration.between(clock.instant(), nextRetry));
    }
    return new RunReport(
        run, runState(dag, instances), instances.values().stream().map(Instance::report).toList());
  }

  /** Runs a single task of the run alone, ignoring its upstream tasks: one try, no retries. */
  public TaskInstanceReport runTask(RunContext run, String taskId) throws InterruptedException {
    Instance instance = new Instance(run.dag().tasks().get(taskId));
    runTry(run, instance, false);
    return instance.report();
  }

  private boolean decide(RunContext run, Instance instance, Map<String, Instance> instances)
      throws InterruptedException {
    DagSpec dag = run.dag();
    List<TaskState> upstream = new ArrayList<>();
    for (String id : dag.upstream(instance.task.id())) {
      upstream.add(instances.get(id).state);
    }
    TriggerDecision decision =
        TriggerRules.decide(instance.task.triggerRule(), TriggerRules.Upstream.of(upstream));
    switch (decision) {
      case WAIT -> {
        return false;
      }
      case SKIP -> instance.moveTo(TaskState.SKIPPED);
      case UPSTREAM_FAILED -> instance.moveTo(TaskState.UPSTREAM_FAILED);
      case RUN -> runTry(run, instance, true);
    }
    return true;
  }

  private void runTry(RunContext run, Instance instance, boolean retries)
      throws InterruptedException {
    instance.moveTo(TaskState.SCHEDULED);
    instance.moveTo(TaskState.QUEUED);
    instance.tries++;
    Path file =
        TaskLog.path(logsRoot, run.dag().id(), run.runId(), instance.task.id(), instance.tries);
    String taskId = instance.task.id();
    Consumer<String> echo = line -> listener.line(taskId, line);
    instance.moveTo(TaskState.RUNNING);
    Instant started = clock.instant();
    if (instance.start == null) {
      instance.start = started;
    }
    TryOutcome outcome;
    try (TaskLog log = new TaskLog(file, clock, echo, runner.services()::mask)) {
      outcome = runner.run(TaskAttempt.of(instance.task, run, instance.tries), log);
      if (outcome.state() == TaskState.FAILED
          && retries
          && instance.tries < instance.task.maxTries()) {
        Duration delay = instance.task.delayBeforeTry(instance.tries + 1);
        log.info(
            "Try {} of {} failed; retrying in {}",
            instance.tries,
            instance.task.maxTries(),
            Durations.format(delay));
        instance.retryAt = clock.instant().plus(delay);
        instance.moveTo(TaskState.UP_FOR_RETRY);
      } else {
        instance.moveTo(outcome.state());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the log " + file, e);
    }
    xcoms.record(run.dag().id(), run.runId(), instance.task.id(), -1, outcome.xcoms());
    instance.end = clock.instant();
    instance.result = outcome.result();
    instance.error = outcome.error();
    instance.logFile = file;
  }

  /** A run fails when any of its leaves failed or could not run because of a failure. */
  private static RunState runState(DagSpec dag, Map<String, Instance> instances) {
    for (String leaf : dag.leaves()) {
      TaskState state = instances.get(leaf).state;
      if (state != TaskState.SUCCESS && state != TaskState.SKIPPED) {
        return RunState.FAILED;
      }
    }
    return RunState.SUCCESS;
  }
}
