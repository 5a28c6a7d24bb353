package dev.weir.run;

import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.sensors.SensorRunner;
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
 * real child processes. {@code dependsOnPast} is ignored, as there is no earlier run. A sensor in
 * reschedule mode waits here between its pokes; as under the scheduler, each poke is a try of its
 * own that does not use up a retry.
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
    final int mapIndex;
    TaskState state = TaskState.NONE;
    int tries;
    int reschedules;
    Instant start;
    Instant end;
    Instant retryAt;
    Object result;
    String error;
    Path logFile;

    Instance(TaskSpec task, int mapIndex) {
      this.task = task;
      this.mapIndex = mapIndex;
    }

    String key() {
      return mapIndex < 0 ? task.id() : task.id() + "[" + mapIndex + "]";
    }

    void moveTo(TaskState next) {
      state = Transitions.check(state, next);
    }

    TaskInstanceReport report() {
      return new TaskInstanceReport(key(), state, tries, start, end, result, error, logFile);
    }
  }

  /** Runs every task of the run and reports how each ended. */
  public RunReport run(RunContext run) throws InterruptedException {
    DagSpec dag = run.dag();
    Map<String, Instance> instances = new LinkedHashMap<>();
    for (String taskId : dag.topologicalOrder()) {
      instances.put(taskId, new Instance(dag.tasks().get(taskId), -1));
    }
    while (true) {
      boolean progressed = false;
      for (Instance instance : List.copyOf(instances.values())) {
        if (instance.state == TaskState.NONE) {
          progressed |= decide(run, instance, instances);
        } else if (isWaiting(instance) && !clock.instant().isBefore(instance.retryAt)) {
          runTry(run, instance, true, instances);
          progressed = true;
        }
      }
      if (progressed) {
        continue;
      }
      Instant nextRetry =
          instances.values().stream()
              .filter(LocalDagRun::isWaiting)
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

  /**
   * Runs a single task of the run alone, ignoring its upstream tasks: one try, no retries (a sensor
   * in reschedule mode pokes until it ends).
   */
  public TaskInstanceReport runTask(RunContext run, String taskId) throws InterruptedException {
    Instance instance = new Instance(run.dag().tasks().get(taskId), -1);
    runTry(run, instance, false, null);
    while (instance.state == TaskState.UP_FOR_RESCHEDULE) {
      sleeper.sleep(Duration.between(clock.instant(), instance.retryAt));
      runTry(run, instance, false, null);
    }
    return instance.report();
  }

  /** Up for retry or reschedule: runs again at its {@code retryAt}. */
  private static boolean isWaiting(Instance instance) {
    return instance.state == TaskState.UP_FOR_RETRY
        || instance.state == TaskState.UP_FOR_RESCHEDULE;
  }

  /** The states of a task's instances: its mapped instances once expanded, else its one. */
  private static List<TaskState> states(String taskId, Map<String, Instance> instances) {
    List<TaskState> states = new ArrayList<>();
    for (Instance instance : instances.values()) {
      if (instance.task.id().equals(taskId)) {
        states.add(instance.state);
      }
    }
    return states;
  }

  /** Replaces a mapped task's placeholder by one instance per item, and runs them in order. */
  private void expand(RunContext run, Instance placeholder, Map<String, Instance> instances)
      throws InterruptedException {
    List<?> items;
    try {
      TaskXCom reader =
          new TaskXCom(run, placeholder.task.id(), xcoms, TaskRunner.DEFAULT_XCOM_MAX_BYTES);
      items = MappedItems.list(placeholder.task.id(), placeholder.task.expand(), reader);
      MappedItems.checkLength(placeholder.task.id(), items.size(), MappedItems.DEFAULT_MAX_LENGTH);
    } catch (IllegalArgumentException e) {
      placeholder.moveTo(TaskState.FAILED);
      placeholder.error = e.getMessage();
      return;
    }
    if (items.isEmpty()) {
      placeholder.moveTo(TaskState.SKIPPED);
      return;
    }
    // Rebuilt in order so the mapped instances take the placeholder's place.
    Map<String, Instance> reordered = new LinkedHashMap<>();
    for (Map.Entry<String, Instance> entry : instances.entrySet()) {
      if (entry.getValue() != placeholder) {
        reordered.put(entry.getKey(), entry.getValue());
        continue;
      }
      for (int i = 0; i < items.size(); i++) {
        Instance mapped = new Instance(placeholder.task, i);
        reordered.put(mapped.key(), mapped);
      }
    }
    instances.clear();
    instances.putAll(reordered);
    for (Instance mapped : List.copyOf(instances.values())) {
      if (mapped.task == placeholder.task && mapped.state == TaskState.NONE) {
        runTry(run, mapped, true, instances);
      }
    }
  }

  private boolean decide(RunContext run, Instance instance, Map<String, Instance> instances)
      throws InterruptedException {
    DagSpec dag = run.dag();
    List<TaskState> upstream = new ArrayList<>();
    for (String id : dag.upstream(instance.task.id())) {
      upstream.addAll(states(id, instances));
    }
    TriggerDecision decision =
        TriggerRules.decide(instance.task.triggerRule(), TriggerRules.Upstream.of(upstream));
    switch (decision) {
      case WAIT -> {
        return false;
      }
      case SKIP -> instance.moveTo(TaskState.SKIPPED);
      case UPSTREAM_FAILED -> instance.moveTo(TaskState.UPSTREAM_FAILED);
      case RUN -> {
        if (instance.task.isMapped() && instance.mapIndex < 0) {
          expand(run, instance, instances);
        } else {
          runTry(run, instance, true, instances);
        }
      }
    }
    return true;
  }

  private void runTry(
      RunContext run, Instance instance, boolean retries, Map<String, Instance> instances)
      throws InterruptedException {
    instance.moveTo(TaskState.SCHEDULED);
    instance.moveTo(TaskState.QUEUED);
    instance.tries++;
    Path file =
        TaskLog.path(
            logsRoot,
            run.dag().id(),
            run.runId(),
            instance.task.id(),
            instance.mapIndex,
            instance.tries);
    String taskId = instance.task.id();
    Consumer<String> echo = line -> listener.line(taskId, line);
    instance.moveTo(TaskState.RUNNING);
    Instant started = clock.instant();
    Instant firstStartedAt = instance.start;
    if (instance.start == null) {
      instance.start = started;
    }
    TryOutcome outcome;
    try (TaskLog log = new TaskLog(file, clock, echo, runner.services()::mask)) {
      outcome =
          runner.run(
              new TaskAttempt(
                  instance.task, run, instance.mapIndex, instance.tries, firstStartedAt),
              log);
      // Tries that ended in a reschedule do not count against the task's retries.
      int counted = instance.tries - instance.reschedules;
      if (outcome.state() == TaskState.UP_FOR_RESCHEDULE) {
        instance.reschedules++;
        instance.retryAt =
            outcome.rescheduleAt() == null ? clock.instant() : outcome.rescheduleAt();
        instance.moveTo(TaskState.UP_FOR_RESCHEDULE);
      } else if (outcome.state() == TaskState.FAILED
          && retries
          && counted < instance.task.maxTries()
          && !SensorRunner.timedOutForGood(instance.task, instance.start, clock.instant())) {
        Duration delay = instance.task.delayBeforeTry(counted + 1);
        log.info(
            "Try {} of {} failed; retrying in {}",
            counted,
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
    xcoms.record(
        run.dag().id(), run.runId(), instance.task.id(), instance.mapIndex, outcome.xcoms());
    if (instances != null) {
      for (Instance other : instances.values()) {
        if (outcome.skip().contains(other.task.id()) && other.state == TaskState.NONE) {
          other.moveTo(TaskState.SKIPPED);
        }
      }
    }
    instance.end = clock.instant();
    instance.result = outcome.result();
    instance.error = outcome.error();
    instance.logFile = file;
  }

  /** A run fails when any of its leaves failed or could not run because of a failure. */
  private static RunState runState(DagSpec dag, Map<String, Instance> instances) {
    for (String leaf : dag.leaves()) {
      for (TaskState state : states(leaf, instances)) {
        if (state != TaskState.SUCCESS && state != TaskState.SKIPPED) {
          return RunState.FAILED;
        }
      }
    }
    return RunState.SUCCESS;
  }
}
