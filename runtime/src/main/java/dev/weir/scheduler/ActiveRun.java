package dev.weir.scheduler;

import dev.weir.model.DagSpec;
import dev.weir.run.RunContext;
import dev.weir.schedule.DataInterval;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.state.Transitions;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A DAG run the scheduler is working on: its row, the DAG version it is pinned to, and its task
 * instances. Every state change goes through {@link Transitions} and into the pass's batch.
 */
final class ActiveRun {
  private DagRunRow row;
  private final DagSpec dag;
  private final RunContext context;
  private final Map<String, TaskInstanceRow> instances = new LinkedHashMap<>();

  /** Tasks to look at in the next evaluation: their upstream changed. */
  private final Set<String> dirty = new LinkedHashSet<>();

  ActiveRun(DagRunRow row, DagSpec dag, Collection<TaskInstanceRow> rows, RunContext context) {
    this.row = row;
    this.dag = dag;
    this.context = context;
    for (TaskInstanceRow instance : rows) {
      instances.put(instance.taskId(), instance);
    }
  }

  static RunContext context(DagRunRow row, DagSpec dag, Map<String, Object> conf) {
    return new RunContext(
        dag, row.runId(), new DataInterval(row.intervalStart(), row.intervalEnd()), conf);
  }

  DagRunRow row() {
    return row;
  }

  long pk() {
    return row.id();
  }

  DagSpec dag() {
    return dag;
  }

  RunContext context() {
    return context;
  }

  RunState state() {
    return row.state();
  }

  Instant logicalDate() {
    return row.logicalDate();
  }

  Map<String, TaskInstanceRow> instances() {
    return instances;
  }

  TaskInstanceRow instance(String taskId) {
    return instances.get(taskId);
  }

  void markDirty(String taskId) {
    dirty.add(taskId);
  }

  void markAllDirty() {
    dirty.addAll(instances.keySet());
  }

  void markDownstreamDirty(String taskId) {
    if (dag.tasks().containsKey(taskId)) {
      dirty.addAll(dag.downstream(taskId));
    }
  }

  /** Takes the tasks to evaluate, in topological order so one pass settles skip chains. */
  Set<String> takeDirty() {
    if (dirty.isEmpty()) {
      return Set.of();
    }
    Set<String> taken = new LinkedHashSet<>();
    for (String taskId : dag.topologicalOrder()) {
      if (dirty.contains(taskId)) {
        taken.add(taskId);
      }
    }
    dirty.clear();
    return taken;
  }

  boolean hasDirty() {
    return !dirty.isEmpty();
  }

  void moveTo(RunState next, Instant now, Batch batch) {
    Transitions.check(row.state(), next);
    Instant start = row.startDate();
    Instant end = row.endDate();
    if (next == RunState.RUNNING) {
      start = start == null ? now : start;
      end = null;
    } else if (next == RunState.QUEUED) {
      end = null;
    } else {
      end = now;
    }
    row = row.withState(next, start, end);
    batch.run(row);
  }

  /** Replaces an instance after a checked state change and records it in the batch. */
  TaskInstanceRow update(TaskInstanceRow next, Batch batch) {
    TaskInstanceRow previous = instances.get(next.taskId());
    if (previous.state() != next.state()) {
      Transitions.check(previous.state(), next.state());
    }
    instances.put(next.taskId(), next);
    batch.instance(next);
    return next;
  }

  /** Sets an instance without a transition check: a user's clear or mark. */
  void reset(TaskInstanceRow next, Batch batch) {
    instances.put(next.taskId(), next);
    batch.instance(next);
  }

  boolean allFinished() {
    for (TaskInstanceRow instance : instances.values()) {
      if (!instance.state().isFinished()) {
        return false;
      }
    }
    return true;
  }

  /** A finished run failed when a leaf failed or could not run because of a failure. */
  RunState outcome() {
    for (String leaf : dag.leaves()) {
      TaskInstanceRow instance = instances.get(leaf);
      if (instance != null
          && instance.state() != TaskState.SUCCESS
          && instance.state() != TaskState.SKIPPED
          && instance.state() != TaskState.REMOVED) {
        return RunState.FAILED;
      }
    }
    return RunState.SUCCESS;
  }

  @Override
  public String toString() {
    return row.dagId() + "/" + row.runId();
  }
}
