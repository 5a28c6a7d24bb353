package dev.weir.scheduler;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.scheduler.Commands.RunAccess;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.state.Transitions;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Marks task instances and runs success or failed, as a user asks (docs/scheduling.md, "Marking").
 * Everything is checked before anything changes, so a request that fails changes nothing.
 */
final class Marks {
  private final MetadataStore store;
  private final Commands commands;
  private final Clock clock;

  Marks(MetadataStore store, Commands commands, Clock clock) {
    this.store = store;
    this.commands = commands;
    this.clock = clock;
  }

  /** One instance to change, and the state to give it. */
  private record Change(TaskInstanceRow instance, TaskState to) {
    boolean stopsTry() {
      return instance.state() == TaskState.RUNNING || instance.state() == TaskState.QUEUED;
    }
  }

  /**
   * Marks the chosen instances; after a success, clears the failed and upstream-failed instances
   * downstream so that they run again (as Airflow does); then settles the run's state.
   *
   * @throws IllegalArgumentException when the request names an unknown DAG, run or task, a bad map
   *     index or state, or a removed instance
   */
  List<MarkedInstance> markTasks(MarkRequest request, RunAccess access) {
    TaskState to = request.state();
    if (to != TaskState.SUCCESS && to != TaskState.FAILED) {
      throw new IllegalArgumentException(
          "cannot mark task instances "
              + (to == null ? "without a state" : to.label())
              + "; the state must be success or failed");
    }
    if (request.taskIds().isEmpty()) {
      throw new IllegalArgumentException("name at least one task to mark");
    }
    DagRunRow row = run(request.dagId(), request.runId());
    ActiveRun run = find(row, access);
    List<Change> changes = choose(run, request);
    for (Change change : changes) {
      check(change);
    }
    if (changes.isEmpty()) {
      return List.of(); // all in that state already
    }

    Instant now = clock.instant();
    Batch batch = access.batch();
    List<MarkedInstance> changed = new ArrayList<>();
    Set<String> marked = new LinkedHashSet<>();
    for (Change change : changes) {
      apply(run, change, now, batch, access);
      TaskInstanceRow instance = change.instance();
      changed.add(new MarkedInstance(instance.taskId(), instance.mapIndex(), instance.state(), to));
      marked.add(instance.taskId());
    }
    access.adopt(run);
    if (to == TaskState.SUCCESS) {
      changed.addAll(clearFailedDownstream(run, marked, access));
    }
    settle(run, now, batch, access);
    return changed;
  }

  /**
   * Marks a run: success makes every unfinished instance success; failed makes running instances
   * failed and the other unfinished ones skipped; queued clears every instance so that the run runs
   * again. Running tries are stopped. Marking a run as the state it has changes nothing.
   *
   * @throws IllegalArgumentException when the DAG or run is unknown or the state is running
   */
  DagRunRow markRun(String dagId, String runId, RunState state, RunAccess access) {
    if (state == null || state == RunState.RUNNING) {
      throw new IllegalArgumentException(
          "cannot set a run "
              + (state == null ? "without a state" : "to " + state.label())
              + "; the state must be success, failed or queued");
    }
    DagRunRow row = run(dagId, runId);
    ActiveRun run = find(row, access);
    if (run.state() == state) {
      return run.row();
    }
    Transitions.checkRunMark(run.state(), state);
    Instant now = clock.instant();
    Batch batch = access.batch();
    if (state == RunState.QUEUED) {
      access.adopt(run);
      commands.clear(
          new ClearRequest(dagId, List.of(runId), null, null, null, false, false, false), access);
      if (run.state() != RunState.QUEUED) {
        run.markAs(RunState.QUEUED, now, batch); // running, or finished with nothing to clear
      }
      return run.row();
    }
    List<Change> changes = new ArrayList<>();
    for (TaskInstanceRow instance : run.instances().values()) {
      if (instance.state().isFinished()) {
        continue;
      }
      Change change =
          new Change(
              instance,
              state == RunState.SUCCESS
                  ? TaskState.SUCCESS
                  : isRunning(instance) ? TaskState.FAILED : TaskState.SKIPPED);
      check(change);
      changes.add(change);
    }
    for (Change change : changes) {
      apply(run, change, now, batch, access);
    }
    run.markAs(state, now, batch);
    access.release(run);
    return run.row();
  }

  private DagRunRow run(String dagId, String runId) {
    if (store.dag(dagId).isEmpty()) {
      throw new IllegalArgumentException(
          "dag '"
              + dagId
              + "' is not in the metadata database (a DAG gets there when the scheduler loads it"
              + " or it is triggered)");
    }
    return store
        .run(dagId, runId)
        .orElseThrow(
            () -> {
              List<String> latest =
                  store.runs(dagId, null, 3).stream().map(DagRunRow::runId).toList();
              return new IllegalArgumentException(
                  "dag '"
                      + dagId
                      + "' has no run '"
                      + runId
                      + "'"
                      + (latest.isEmpty()
                          ? "; it has no runs"
                          : "; its latest: " + String.join(", ", latest)));
            });
  }

  private ActiveRun find(DagRunRow row, RunAccess access) {
    ActiveRun run = access.find(row.id());
    return run != null ? run : commands.load(row);
  }

  /** The instances the request marks that are not in its state already. */
  private static List<Change> choose(ActiveRun run, MarkRequest request) {
    DagSpec dag = run.dag();
    Set<String> named = new LinkedHashSet<>();
    for (String taskId : request.taskIds()) {
      if (!dag.tasks().containsKey(taskId)) {
        throw new IllegalArgumentException(
            "dag '"
                + dag.id()
                + "' has no task '"
                + taskId
                + "'; its tasks: "
                + String.join(", ", dag.topologicalOrder()));
      }
      named.add(taskId);
    }
    Set<String> related = new LinkedHashSet<>();
    for (String taskId : named) {
      if (request.upstream()) {
        collect(dag, taskId, false, related);
      }
      if (request.downstream()) {
        collect(dag, taskId, true, related);
      }
    }
    List<Change> changes = new ArrayList<>();
    for (String taskId : dag.topologicalOrder()) {
      List<TaskInstanceRow> instances;
      if (named.contains(taskId)) {
        instances = named(run, dag.tasks().get(taskId), request.mapIndex());
      } else if (related.contains(taskId)) {
        // A removed relative is left alone: only the tasks named must all be markable.
        instances =
            run.instancesOf(taskId).stream()
                .filter(instance -> instance.state() != TaskState.REMOVED)
                .toList();
      } else {
        continue;
      }
      for (TaskInstanceRow instance : instances) {
        if (instance.state() != request.state()) {
          changes.add(new Change(instance, request.state()));
        }
      }
    }
    return changes;
  }

  /** The instances of a task the request names: all, or the one at the map index. */
  private static List<TaskInstanceRow> named(ActiveRun run, TaskSpec task, Integer mapIndex) {
    List<TaskInstanceRow> instances = run.instancesOf(task.id());
    if (mapIndex != null) {
      if (!task.isMapped()) {
        throw new IllegalArgumentException(
            "task '" + task.id() + "' is not mapped, so it has no map index " + mapIndex);
      }
      List<TaskInstanceRow> at =
          instances.stream().filter(instance -> instance.mapIndex() == mapIndex).toList();
      if (at.isEmpty()) {
        boolean expanded = instances.stream().anyMatch(instance -> instance.mapIndex() >= 0);
        throw new IllegalArgumentException(
            "task '"
                + task.id()
                + "' of run '"
                + run.row().runId()
                + "' has no instance with map index "
                + mapIndex
                + (expanded
                    ? "; its map indexes are 0 to " + (instances.size() - 1)
                    : "; it has not expanded yet (mark all its instances without a map index)"));
      }
      instances = at;
    }
    for (TaskInstanceRow instance : instances) {
      if (instance.state() == TaskState.REMOVED) {
        throw new IllegalArgumentException(
            "task instance '"
                + instance.key()
                + "' of run '"
                + run.row().runId()
                + "' is removed; a removed instance cannot be marked");
      }
    }
    return instances;
  }

  private static void collect(DagSpec dag, String taskId, boolean down, Set<String> into) {
    for (String next : down ? dag.downstream(taskId) : dag.upstream(taskId)) {
      if (into.add(next)) {
        collect(dag, next, down, into);
      }
    }
  }

  private static boolean isRunning(TaskInstanceRow instance) {
    return instance.state() == TaskState.RUNNING || instance.state() == TaskState.QUEUED;
  }

  /**
   * Checks a change with the state machine. A running instance's try is stopped first, which fails
   * it; the mark then goes from failed.
   */
  private static void check(Change change) {
    TaskState from = change.instance().state();
    if (change.stopsTry()) {
      from = Transitions.check(from, TaskState.FAILED);
      if (change.to() == TaskState.FAILED) {
        return;
      }
    }
    if (change.to() == TaskState.SKIPPED) {
      Transitions.check(from, TaskState.SKIPPED);
    } else {
      Transitions.checkMark(from, change.to());
    }
  }

  private static void apply(
      ActiveRun run, Change change, Instant now, Batch batch, RunAccess access) {
    TaskInstanceRow instance = change.instance();
    String note = null;
    if (change.stopsTry()) {
      note = "marked " + change.to().label() + " while running; the try was stopped";
      access.cancel(new TryKey(run.pk(), instance.key(), instance.tryNumber()));
      if (instance.tryNumber() > 0) {
        batch.endTry(
            new TaskTryRow(
                run.pk(),
                instance.taskId(),
                instance.tryNumber(),
                TaskState.FAILED,
                instance.startDate() == null ? now : instance.startDate(),
                now,
                "",
                "",
                note,
                instance.mapIndex()));
      }
      if (change.to() == TaskState.SUCCESS) {
        note = null; // the instance succeeded: it shows no error
      }
    }
    TaskInstanceRow next = TaskInstances.marked(instance, change.to(), now, note);
    run.reset(next, batch);
    run.markDownstreamDirty(instance.taskId());
    access.marked(run, next);
  }

  /** Clears the failed and upstream-failed tasks downstream of those marked success. */
  private List<MarkedInstance> clearFailedDownstream(
      ActiveRun run, Set<String> marked, RunAccess access) {
    Set<String> downstream = new LinkedHashSet<>();
    for (String taskId : marked) {
      collect(run.dag(), taskId, true, downstream);
    }
    downstream.removeAll(marked);
    if (downstream.isEmpty()) {
      return List.of();
    }
    String exactly =
        downstream.stream().map(Pattern::quote).collect(Collectors.joining("|", "^(?:", ")$"));
    List<MarkedInstance> cleared = new ArrayList<>();
    for (ClearedInstance instance :
        commands.clear(
            new ClearRequest(
                run.row().dagId(),
                List.of(run.row().runId()),
                null,
                null,
                exactly,
                false,
                false,
                true),
            access)) {
      String key = instance.taskId();
      int bracket = key.lastIndexOf('[');
      boolean mapped = key.endsWith("]") && bracket > 0;
      cleared.add(
          new MarkedInstance(
              mapped ? key.substring(0, bracket) : key,
              mapped ? Integer.parseInt(key.substring(bracket + 1, key.length() - 1)) : -1,
              instance.previousState(),
              TaskState.NONE));
    }
    return cleared;
  }

  /**
   * Gives a run whose instances are all finished its outcome (a finished run may change its mind);
   * one with instances left to run stays with the scheduler, which evaluates them.
   */
  private static void settle(ActiveRun run, Instant now, Batch batch, RunAccess access) {
    if (run.allFinished()) {
      RunState outcome = run.outcome();
      if (run.state() != outcome) {
        run.markAs(outcome, now, batch);
      }
      access.release(run);
    } else if (run.state().isFinished()) {
      access.release(run);
    }
  }
}
