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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DAG run the scheduler is working on: its row, the DAG version it is pinned to, and its task
 * instances. Every state change goes through {@link Transitions} and into the pass's batch.
 *
 * <p>Instances are named by {@link TaskInstanceRow#key()}: the task id, or {@code id[i]} for the
 * instances of a mapped task once it has expanded (before that, the task has one placeholder
 * instance under its plain id).
 */
final class ActiveRun {
  private DagRunRow row;
  private final DagSpec dag;
  private final RunContext context;
  private final Map<String, TaskInstanceRow> instances = new LinkedHashMap<>();
  // The number of instances of each expanded mapped task.
  private final Map<String, Integer> expanded = new HashMap<>();

  /** Instances to look at in the next evaluation, by key: their upstream changed. */
  private final Set<String> dirty = new LinkedHashSet<>();

  ActiveRun(DagRunRow row, DagSpec dag, Collection<TaskInstanceRow> rows, RunContext context) {
    this.row = row;
    this.dag = dag;
    this.context = context;
    for (TaskInstanceRow instance : rows) {
      instances.put(instance.key(), instance);
      if (instance.mapIndex() >= 0) {
        expanded.merge(instance.taskId(), 1, Integer::sum);
      }
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

  /** An instance by key: a task id, or {@code id[i]} for an instance of a mapped task. */
  TaskInstanceRow instance(String key) {
    return instances.get(key);
  }

  /** The instances of a task: its expanded mapped instances, or its one instance. */
  List<TaskInstanceRow> instancesOf(String taskId) {
    Integer count = expanded.get(taskId);
    if (count == null) {
      TaskInstanceRow single = instances.get(taskId);
      return single == null ? List.of() : List.of(single);
    }
    List<TaskInstanceRow> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TaskInstanceRow row = instances.get(TaskInstanceRow.key(taskId, i));
      if (row != null) {
        rows.add(row);
      }
    }
    return rows;
  }

  private List<String> keysOf(String taskId) {
    Integer count = expanded.get(taskId);
    if (count == null) {
      return List.of(taskId);
    }
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(TaskInstanceRow.key(taskId, i));
    }
    return keys;
  }

  /**
   * Replaces a mapped task's placeholder by {@code count} instances in state none, each with the
   * placeholder's tries.
   */
  List<TaskInstanceRow> expand(TaskInstanceRow placeholder, int count, Batch batch) {
    instances.remove(placeholder.key());
    batch.removeInstance(placeholder);
    List<TaskInstanceRow> created = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TaskInstanceRow row = TaskInstances.mapped(placeholder, i);
      instances.put(row.key(), row);
      batch.addInstance(row);
      created.add(row);
    }
    expanded.put(placeholder.taskId(), count);
    return created;
  }

  /** Puts a mapped task's placeholder back instead of its instances, so that it expands again. */
  TaskInstanceRow collapse(String taskId, TaskInstanceRow placeholder, Batch batch) {
    for (TaskInstanceRow row : instancesOf(taskId)) {
      instances.remove(row.key());
      batch.removeInstance(row);
    }
    expanded.remove(taskId);
    instances.put(placeholder.key(), placeholder);
    batch.addInstance(placeholder);
    return placeholder;
  }

  void markDirty(String key) {
    dirty.add(key);
  }

  void markAllDirty() {
    dirty.addAll(instances.keySet());
  }

  void markDownstreamDirty(String taskId) {
    if (dag.tasks().containsKey(taskId)) {
      for (String downstream : dag.downstream(taskId)) {
        dirty.addAll(keysOf(downstream));
      }
    }
  }

  /** Takes the instances to evaluate, in topological order so one pass settles skip chains. */
  List<String> takeDirty() {
    if (dirty.isEmpty()) {
      return List.of();
    }
    List<String> taken = new ArrayList<>();
    for (String taskId : dag.topologicalOrder()) {
      for (String key : keysOf(taskId)) {
        if (dirty.contains(key)) {
          taken.add(key);
        }
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
    set(next, now, batch);
  }

  /** Changes the run's state as a user's mark does (see {@link Transitions#checkRunMark}). */
  void markAs(RunState next, Instant now, Batch batch) {
    Transitions.checkRunMark(row.state(), next);
    set(next, now, batch);
  }

  private void set(RunState next, Instant now, Batch batch) {
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
    TaskInstanceRow previous = instances.get(next.key());
    if (previous.state() != next.state()) {
      Transitions.check(previous.state(), next.state());
    }
    instances.put(next.key(), next);
    batch.instance(next);
    return next;
  }

  /** Sets an instance without a transition check: a user's clear or mark. */
  void reset(TaskInstanceRow next, Batch batch) {
    instances.put(next.key(), next);
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
      for (TaskInstanceRow instance : instancesOf(leaf)) {
        if (instance.state() != TaskState.SUCCESS
            && instance.state() != TaskState.SKIPPED
            && instance.state() != TaskState.REMOVED) {
          return RunState.FAILED;
        }
      }
    }
    return RunState.SUCCESS;
  }

  @Override
  public String toString() {
    return row.dagId() + "/" + row.runId();
  }
}
