package dev.weir.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State changes written in one transaction. A later change of the same row replaces an earlier one,
 * and a try started and ended within one batch is inserted once, already ended.
 */
public final class Batch {
  private record TryKey(long runPk, String taskId, int tryNumber) {}

  private record InstanceKey(long runPk, String taskId) {}

  private final Map<Long, DagRunRow> runs = new LinkedHashMap<>();
  private final Map<InstanceKey, TaskInstanceRow> instances = new LinkedHashMap<>();
  private final Map<TryKey, TaskTryRow> newTries = new LinkedHashMap<>();
  private final Map<TryKey, TaskTryRow> endedTries = new LinkedHashMap<>();
  private final List<NewDatasetEvent> datasetEvents = new ArrayList<>();

  public Batch run(DagRunRow run) {
    runs.put(run.id(), run);
    return this;
  }

  public Batch instance(TaskInstanceRow instance) {
    instances.put(new InstanceKey(instance.runPk(), instance.taskId()), instance);
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

  /** An update of a dataset, recorded with the state change of the task that made it. */
  public Batch datasetEvent(NewDatasetEvent event) {
    datasetEvents.add(event);
    return this;
  }

  public boolean isEmpty() {
    return runs.isEmpty()
        && instances.isEmpty()
        && newTries.isEmpty()
        && endedTries.isEmpty()
        && datasetEvents.isEmpty();
  }

  public int size() {
    return runs.size()
        + instances.size()
        + newTries.size()
        + endedTries.size()
        + datasetEvents.size();
  }

  public Collection<DagRunRow> runs() {
    return runs.values();
  }

  public Collection<TaskInstanceRow> instances() {
    return instances.values();
  }

  public Collection<TaskTryRow> newTries() {
    return newTries.values();
  }

  public Collection<TaskTryRow> endedTries() {
    return endedTries.values();
  }

  public List<NewDatasetEvent> datasetEvents() {
    return datasetEvents;
  }

  private static TryKey key(TaskTryRow row) {
    return new TryKey(row.runPk(), row.taskId(), row.tryNumber());
  }
}
