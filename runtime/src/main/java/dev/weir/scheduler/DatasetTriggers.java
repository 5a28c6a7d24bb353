package dev.weir.scheduler;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.run.RunContext;
import dev.weir.schedule.DataInterval;
import dev.weir.schedule.Dataset;
import dev.weir.schedule.DatasetSchedule;
import dev.weir.state.TaskState;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.DuplicateRunException;
import dev.weir.store.MetadataStore;
import dev.weir.store.NewDatasetEvent;
import dev.weir.store.NewRun;
import dev.weir.store.RunType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-aware scheduling for {@link SchedulerCore}: a successful try of a task with outlets records
 * a dataset event in the batch of its state change, and a DAG scheduled on datasets gets a queued
 * run once each of its datasets has an event since its last dataset-triggered run (Airflow
 * semantics).
 *
 * <p>Which DAGs consume a dataset is kept in memory, rebuilt when DAGs load, so only the consumers
 * of updated datasets are looked at: no pass scans every DAG. Events not yet consumed wait in the
 * store's dataset queue, so a paused consumer gets one run with all of them when unpaused, and a
 * restarted scheduler finds them. Runs on the scheduler's thread only.
 */
final class DatasetTriggers {
  private static final Logger log = LoggerFactory.getLogger(DatasetTriggers.class);

  /** A DAG that may get a new run now (loaded, active, unpaused), with its current version. */
  record Target(DagSpec dag, long versionId) {}

  private final MetadataStore store;
  private final Function<String, Optional<Target>> targets;
  private Map<String, Set<String>> consumersByUri = Map.of();
  // Consumers that may be due: an update of one of their datasets, a new version, a restart, or a
  // run that could not be created yet (paused, or its logical date was taken).
  private final Set<String> toCheck = new LinkedHashSet<>();

  /**
   * @param targets the DAG of an id when it may get a new run now, else empty
   */
  DatasetTriggers(MetadataStore store, Function<String, Optional<Target>> targets) {
    this.store = store;
    this.targets = targets;
  }

  /** Saves what a loaded DAG version says of datasets, for listings and the store's queue. */
  void dagLoaded(DagSpec dag, Instant now) {
    List<String> consumes = consumed(dag);
    Map<String, List<String>> outlets = new LinkedHashMap<>();
    for (TaskSpec task : dag.tasks().values()) {
      if (!task.outlets().isEmpty()) {
        outlets.put(task.id(), task.outlets().stream().map(Dataset::uri).toList());
      }
    }
    store.saveDatasetReferences(dag.id(), consumes, outlets, now);
    if (!consumes.isEmpty()) {
      toCheck.add(dag.id()); // its datasets may have changed: updates queued may now suffice
    }
  }

  /** Rebuilds the index of consumers by dataset from the DAGs loaded now. */
  void index(Collection<DagSpec> dags) {
    Map<String, Set<String>> index = new HashMap<>();
    for (DagSpec dag : dags) {
      for (String uri : consumed(dag)) {
        index.computeIfAbsent(uri, u -> new LinkedHashSet<>()).add(dag.id());
      }
    }
    consumersByUri = index;
  }

  /** After a start: the consumers with updates waiting in the store may be due. */
  void recover() {
    toCheck.addAll(store.datasetQueue().keySet());
  }

  /**
   * Records the events of a try that ended: one per outlet when it succeeded, in the batch that
   * holds its state change.
   */
  void tryEnded(ActiveRun run, String taskId, TaskState state, Instant now, Batch batch) {
    TaskSpec task = run.dag().tasks().get(taskId);
    if (state != TaskState.SUCCESS || task == null || task.outlets().isEmpty()) {
      return;
    }
    for (Dataset outlet : task.outlets()) {
      batch.datasetEvent(
          new NewDatasetEvent(
              outlet.uri(), run.dag().id(), run.row().runId(), run.pk(), taskId, now));
      toCheck.addAll(consumersByUri.getOrDefault(outlet.uri(), Set.of()));
    }
  }

  /**
   * Queues a run for each consumer whose datasets were all updated; call once the batch with the
   * events is committed. A consumer that is paused or not loaded stays to be checked again.
   *
   * @return the runs created
   */
  List<DagRunRow> queueDueRuns(Instant now) {
    if (toCheck.isEmpty()) {
      return List.of();
    }
    List<DagRunRow> created = new ArrayList<>();
    for (String dagId : List.copyOf(toCheck)) {
      Optional<Target> target = targets.apply(dagId);
      if (target.isEmpty()) {
        continue;
      }
      DagSpec dag = target.get().dag();
      if (!(dag.schedule() instanceof DatasetSchedule schedule)) {
        toCheck.remove(dagId);
        continue;
      }
      try {
        Optional<DagRunRow> run =
            store.insertDatasetTriggeredRun(
                newRun(dag, target.get().versionId(), now),
                Commands.freshInstances(dag),
                schedule.uris());
        // Created, or some dataset has no update yet: its next event brings the DAG back.
        toCheck.remove(dagId);
        if (run.isPresent()) {
          log.info(
              "Created run {} of DAG {}: each of {} was updated",
              run.get().runId(),
              dagId,
              schedule.uris());
          created.add(run.get());
        }
      } catch (DuplicateRunException e) {
        // Two triggers within one second share a run id; the next pass, a moment later, retries.
        log.debug("DAG {} has a run at {} already; queueing its next one later", dagId, now);
      }
    }
    return created;
  }

  private static NewRun newRun(DagSpec dag, long versionId, Instant now) {
    // Airflow's logical date of a dataset-triggered run: when it was queued. The store sets the
    // data interval to the span of the triggering events.
    String runId = RunContext.runId(RunType.DATASET_TRIGGERED.label(), new DataInterval(now, now));
    return new NewRun(
        dag.id(), runId, RunType.DATASET_TRIGGERED, now, now, now, "{}", now, versionId, null);
  }

  private static List<String> consumed(DagSpec dag) {
    return dag.schedule() instanceof DatasetSchedule schedule ? schedule.uris() : List.of();
  }
}
