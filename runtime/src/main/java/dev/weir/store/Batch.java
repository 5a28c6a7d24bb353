package dev.weir.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State changes written in one transaction. A later change of the same row replaces an earlier one,
 * and a try started and ended within one batch is inserted once, already ended.
 */
public final class Batch {
  private record TryKey(long runPk, String taskId, int mapIndex, int tryNumber) {}

  /** A task instance's identity: its run, task and map index. */
  public record InstanceKey(long runPk, String taskId, int mapIndex) {}

  /**
   * The XCom values an ended try pushed, as JSON by key; they replace the instance's earlier ones.
   */
  public record XComValues(InstanceKey instance, Map<String, String> json, Instant createdAt) {}

  /**
   * The template fields of one try as it rendered them (secrets masked), by field name in the order
   * it rendered them; recorded with the try's end.
   */
  public record RenderedTry(
      long runPk, String taskId, int mapIndex, int tryNumber, Map<String, String> fields) {}

  /** A run found unfinished past its deadline. */
  public record MissedDeadline(long runPk, Instant dueAt, Instant missedAt) {}

  private final Map<Long, DagRunRow> runs = new LinkedHashMap<>();
  private final Map<InstanceKey, TaskInstanceRow> instances = new LinkedHashMap<>();
  private final Map<InstanceKey, TaskInstanceRow> newInstances = new LinkedHashMap<>();
  private final Set<InstanceKey> removedInstances = new LinkedHashSet<>();
  private final Map<TryKey, TaskTryRow> newTries = new LinkedHashMap<>();
  private final Map<TryKey, TaskTryRow> endedTries = new LinkedHashMap<>();
  private final Map<InstanceKey, XComValues> xcoms = new LinkedHashMap<>();
  private final List<NewDatasetEvent> datasetEvents = new ArrayList<>();
  private final Map<TryKey, RenderedTry> renderedTries = new LinkedHashMap<>();
  private final List<NewAlert> alerts = new ArrayList<>();
  private final List<MissedDeadline> missedDeadlines = new ArrayList<>();

  public Batch run(DagRunRow run) {
    runs.put(run.id(), run);
    return this;
  }

  /** A changed task instance. */
  public Batch instance(TaskInstanceRow instance) {
    InstanceKey key = key(instance);
    if (newInstances.containsKey(key)) {
      newInstances.put(key, instance);
    } else {
      instances.put(key, instance);
    }
    return this;
  }

  /** A task instance to insert: an instance of a mapped task, made when it expands. */
  public Batch addInstance(TaskInstanceRow instance) {
    InstanceKey key = key(instance);
    if (removedInstances.remove(key)) {
      instances.put(key, instance); // removed and added back: the row stays and changes
    } else {
      newInstances.put(key, instance);
    }
    return this;
  }

  /** A task instance to delete, with its XComs: a mapped task's placeholder once it expands. */
  public Batch removeInstance(TaskInstanceRow instance) {
    InstanceKey key = key(instance);
    instances.remove(key);
    xcoms.remove(key);
    if (newInstances.remove(key) == null) {
      removedInstances.add(key);
    }
    return this;
  }

  /** A try that starts now. */
  public Batch startTry(TaskTryRow row) {
    newTries.put(key(row), row);
    return this;
  }

  /** A try that ended (or was found interrupted). */
  public Batch endTry(TaskTryRow row) {
    TryKey key = key(row);
    if (newTries.containsKey(key)) {
      newTries.put(key, row);
    } else {
      endedTries.put(key, row);
    }
    return this;
  }

  /**
   * Replaces the XComs of a task instance with these values (none: deletes them, as a new try or a
   * clear does).
   */
  public Batch xcoms(
      long runPk, String taskId, int mapIndex, Map<String, String> json, Instant createdAt) {
    InstanceKey key = new InstanceKey(runPk, taskId, mapIndex);
    xcoms.put(key, new XComValues(key, Map.copyOf(json), createdAt));
    return this;
  }

  /**
   * The rendered template fields of a try, kept with it; none (a Groovy code task's) records
   * nothing.
   */
  public Batch renderedFields(TaskTryRow row, Map<String, String> fields) {
    if (!fields.isEmpty()) {
      renderedTries.put(
          key(row),
          new RenderedTry(
              row.runPk(),
              row.taskId(),
              row.mapIndex(),
              row.tryNumber(),
              // In the order they were rendered, which Map.copyOf would lose.
              java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
    }
    return this;
  }

  /** An update of a dataset, recorded with the state change of the task that made it. */
  public Batch datasetEvent(NewDatasetEvent event) {
    datasetEvents.add(event);
    return this;
  }

  /** An event with callbacks, written to the alert outbox with the change it reports. */
  public Batch alert(NewAlert alert) {
    alerts.add(alert);
    return this;
  }

  /** Records that a run missed its deadline. */
  public Batch deadlineMissed(long runPk, Instant dueAt, Instant missedAt) {
    missedDeadlines.add(new MissedDeadline(runPk, dueAt, missedAt));
    return this;
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  public int size() {
    return runs.size()
        + instances.size()
        + newInstances.size()
        + removedInstances.size()
        + newTries.size()
        + endedTries.size()
        + xcoms.size()
        + datasetEvents.size()
        + renderedTries.size()
        + alerts.size()
        + missedDeadlines.size();
  }

  public Collection<DagRunRow> runs() {
    return runs.values();
  }

  public Collection<TaskInstanceRow> instances() {
    return instances.values();
  }

  public Collection<TaskInstanceRow> newInstances() {
    return newInstances.values();
  }

  public Collection<InstanceKey> removedInstances() {
    return removedInstances;
  }

  public Collection<TaskTryRow> newTries() {
    return newTries.values();
  }

  public Collection<TaskTryRow> endedTries() {
    return endedTries.values();
  }

  public Collection<XComValues> xcoms() {
    return xcoms.values();
  }

  public List<NewDatasetEvent> datasetEvents() {
    return datasetEvents;
  }

  public Collection<RenderedTry> renderedTries() {
    return renderedTries.values();
  }

  public List<NewAlert> alerts() {
    return alerts;
  }

  public List<MissedDeadline> missedDeadlines() {
    return missedDeadlines;
  }

  private static InstanceKey key(TaskInstanceRow row) {
    return new InstanceKey(row.runPk(), row.taskId(), row.mapIndex());
  }

  private static TryKey key(TaskTryRow row) {
    return new TryKey(row.runPk(), row.taskId(), row.mapIndex(), row.tryNumber());
  }
}
