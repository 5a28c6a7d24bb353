package dev.weir.sensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.dagbag.DagBag;
import dev.weir.model.DagSpec;
import dev.weir.run.Dates;
import dev.weir.scheduler.RunRequests;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.DuplicateRunException;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Other DAGs' runs as the metadata store has them; triggered runs are queued there as {@code weir
 * dags trigger} queues them, for the live scheduler to start. DAG scripts come from the loaded DAG
 * folder.
 */
public final class StoreRunLookup implements RunLookup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<MetadataStore> store;
  private final DagBag bag;
  private final Clock clock;

  /**
   * @param store the store, asked for at the first call (so that a command opens it only when a
   *     task needs it); it may throw {@link RunLookup.Unavailable}
   */
  public StoreRunLookup(Supplier<MetadataStore> store, DagBag bag, Clock clock) {
    this.store = store;
    this.bag = bag;
    this.clock = clock;
  }

  @Override
  public Optional<TaskState> taskState(String dagId, Instant logicalDate, String taskId) {
    return runAt(dagId, logicalDate)
        .flatMap(
            run ->
                store.get().taskInstances(run.id()).stream()
                    .filter(instance -> instance.taskId().equals(taskId))
                    .map(TaskInstanceRow::state)
                    .findFirst());
  }

  @Override
  public Optional<RunState> runState(String dagId, Instant logicalDate) {
    return runAt(dagId, logicalDate).map(DagRunRow::state);
  }

  @Override
  public Optional<RunState> runState(String dagId, String runId) {
    return store.get().run(dagId, runId).map(DagRunRow::state);
  }

  private Optional<DagRunRow> runAt(String dagId, Instant logicalDate) {
    return store.get().runsBetween(dagId, logicalDate, logicalDate).stream().findFirst();
  }

  @Override
  public TriggeredRun trigger(
      String dagId, String runId, Map<String, Object> conf, Instant logicalDate) {
    MetadataStore metadata = store.get();
    Optional<DagRunRow> existing = metadata.run(dagId, runId);
    if (existing.isPresent()) {
      return new TriggeredRun(runId, existing.get().logicalDate(), false, paused(dagId));
    }
    DagSpec dag =
        bag.dag(dagId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cannot trigger dag '" + dagId + "': it is not in the DAGs folder"));
    String source =
        bag.source(dag.source().file())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cannot trigger dag '"
                            + dagId
                            + "': its file "
                            + dag.source().file()
                            + " changed while loading; the next try triggers it"));
    RunRequests requests = new RunRequests(metadata, clock);
    long versionId = requests.saveDag(dag, source, null);
    try {
      DagRunRow row = requests.trigger(dag, versionId, logicalDate, json(conf), runId);
      return new TriggeredRun(runId, row.logicalDate(), true, paused(dagId));
    } catch (DuplicateRunException e) {
      Optional<DagRunRow> raced = metadata.run(dagId, runId);
      if (raced.isPresent()) {
        return new TriggeredRun(runId, raced.get().logicalDate(), false, paused(dagId));
      }
      throw new IllegalArgumentException(
          "cannot trigger dag '"
              + dagId
              + "': it has a run at logical date "
              + Dates.iso(logicalDate == null ? clock.instant() : logicalDate, dag.timezone())
              + " already; give the task another logicalDate",
          e);
    }
  }

  private boolean paused(String dagId) {
    return store.get().dag(dagId).map(DagRow::paused).orElse(false);
  }

  private static String json(Map<String, Object> conf) {
    try {
      return JSON.writeValueAsString(conf);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("conf cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
