package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} must do with datasets, run against each database Weir supports,
 * with the JVM in a zone east of UTC as in {@link MetadataStoreContractTest}.
 */
abstract class DatasetStoreContractTest extends StoreContract {
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final String SALES = "file:///data/sales.csv";
  private static final String PRICES = "s3://bucket/prices";

  @Test
  void should_list_datasets_with_the_producers_and_consumers_of_active_dags() {
    store.saveDatasetReferences(
        "produce", List.of(), Map.of("write", List.of(SALES), "noop", List.of()), T0);
    store.saveDatasetReferences("retrain", List.of(SALES, PRICES), Map.of(), T0);
    store.saveDatasetReferences("report", List.of(SALES), Map.of(), T0);
    store.saveDag("report", "dags/report.groovy", version("report"), true, T0);
    store.deactivateDags(List.of("report"));

    assertThat(store.datasets())
        .containsExactly(
            new DatasetRow(
                SALES,
                T0,
                List.of(new DatasetRow.Producer("produce", "write")),
                List.of("retrain"),
                null,
                0),
            new DatasetRow(PRICES, T0, List.of(), List.of("retrain"), null, 0));

    // A new version replaces what the DAG said before; the dataset itself stays.
    store.saveDatasetReferences("produce", List.of(), Map.of("write", List.of(PRICES)), T0);
    assertThat(store.datasets())
        .extracting(DatasetRow::uri, row -> row.producers().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(SALES, "[]"),
            org.assertj.core.groups.Tuple.tuple(PRICES, "[produce.write]"));
  }

  @Test
  void should_record_events_with_the_state_change_of_their_batch_and_nothing_when_it_fails() {
    store.saveDatasetReferences("produce", List.of(), Map.of("write", List.of(SALES)), T0);
    DagRunRow run = producerRun("produce", T0);
    Instant end = T0.plusMillis(1_500).plusNanos(999);

    store.write(
        new Batch()
            .instance(success(run, "write", end))
            .datasetEvent(event(run, "write", SALES, end)));

    assertThat(store.datasetEvents(SALES, 10))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.uri()).isEqualTo(SALES);
              assertThat(event.sourceDagId()).isEqualTo("produce");
              assertThat(event.sourceRunId()).isEqualTo(run.runId());
              assertThat(event.sourceRunPk()).isEqualTo(run.id());
              assertThat(event.sourceTaskId()).isEqualTo("write");
              assertThat(event.createdAt()).isEqualTo(T0.plusMillis(1_500));
            });
    assertThat(store.datasets().get(0).eventCount()).isEqualTo(1);
    assertThat(store.datasets().get(0).lastEventAt()).isEqualTo(T0.plusMillis(1_500));

    // A try that cannot be inserted twice fails the whole batch, its event included.
    TaskTryRow tryRow =
        new TaskTryRow(run.id(), "write", 1, TaskState.SUCCESS, T0, end, "h", "s", null);
    store.write(new Batch().startTry(tryRow));
    assertThatThrownBy(
            () ->
                store.write(
                    new Batch().startTry(tryRow).datasetEvent(event(run, "write", SALES, end))))
        .isInstanceOf(StoreException.class);
    assertThat(store.datasetEvents(SALES, 10)).hasSize(1);
  }

  @Test
  void should_create_a_dataset_an_event_names_that_no_dag_declared() {
    DagRunRow run = producerRun("produce", T0);

    store.write(new Batch().datasetEvent(event(run, "write", "file:///elsewhere", T0)));

    assertThat(store.datasets()).extracting(DatasetRow::uri).containsExactly("file:///elsewhere");
  }

  @Test
  void should_queue_a_consumer_until_every_dataset_was_updated_then_link_the_events_to_its_run() {
    store.saveDatasetReferences("retrain", List.of(SALES, PRICES), Map.of(), T0);
    store.saveDatasetReferences("report", List.of(SALES), Map.of(), T0);
    DagRunRow producer = producerRun("produce", T0);
    store.write(new Batch().datasetEvent(event(producer, "a", SALES, T0.plusSeconds(10))));
    store.write(new Batch().datasetEvent(event(producer, "b", SALES, T0.plusSeconds(20))));

    assertThat(store.datasetQueue())
        .isEqualTo(Map.of("retrain", Set.of(SALES), "report", Set.of(SALES)));
    Instant now = T0.plusSeconds(30);
    assertThat(
            store.insertDatasetTriggeredRun(
                triggered("retrain", now), List.of(none("train")), List.of(SALES, PRICES)))
        .isEmpty();
    assertThat(store.runs("retrain", null, 10)).isEmpty();

    store.write(new Batch().datasetEvent(event(producer, "c", PRICES, T0.plusSeconds(25))));
    DagRunRow run =
        store
            .insertDatasetTriggeredRun(
                triggered("retrain", now), List.of(none("train")), List.of(SALES, PRICES))
            .orElseThrow();

    assertThat(run.type()).isEqualTo(RunType.DATASET_TRIGGERED);
    assertThat(run.state()).isEqualTo(RunState.QUEUED);
    assertThat(run.logicalDate()).isEqualTo(now);
    assertThat(run.intervalStart()).isEqualTo(T0.plusSeconds(10));
    assertThat(run.intervalEnd()).isEqualTo(T0.plusSeconds(25));
    assertThat(store.run(run.id())).contains(run);
    assertThat(store.taskInstances(run.id())).extracting(TaskInstanceRow::taskId).contains("train");
    assertThat(store.triggeringEvents(run.id()))
        .extracting(DatasetEventRow::sourceTaskId, DatasetEventRow::uri)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", SALES),
            org.assertj.core.groups.Tuple.tuple("b", SALES),
            org.assertj.core.groups.Tuple.tuple("c", PRICES));
    assertThat(store.datasetQueue()).isEqualTo(Map.of("report", Set.of(SALES)));

    // The next run needs new updates of both datasets: older events do not count again.
    store.write(new Batch().datasetEvent(event(producer, "d", SALES, T0.plusSeconds(40))));
    assertThat(
            store.insertDatasetTriggeredRun(
                triggered("retrain", now.plusSeconds(60)),
                List.of(none("train")),
                List.of(SALES, PRICES)))
        .isEmpty();
    assertThat(store.datasetQueue().get("retrain")).containsExactly(SALES);
  }

  @Test
  void should_leave_the_queue_alone_when_the_run_is_a_duplicate() {
    store.saveDatasetReferences("retrain", List.of(SALES), Map.of(), T0);
    DagRunRow producer = producerRun("produce", T0);
    store.write(new Batch().datasetEvent(event(producer, "a", SALES, T0)));
    store.insertRun(
        new NewRun(
            "retrain",
            "manual__x",
            RunType.MANUAL,
            T0.plusSeconds(5),
            T0,
            T0,
            "{}",
            T0,
            version("retrain"),
            null),
        List.of());

    assertThatThrownBy(
            () ->
                store.insertDatasetTriggeredRun(
                    triggered("retrain", T0.plusSeconds(5)), List.of(), List.of(SALES)))
        .isInstanceOf(DuplicateRunException.class);
    assertThat(store.datasetQueue()).isEqualTo(Map.of("retrain", Set.of(SALES)));
  }

  @Test
  void should_list_events_newest_first_and_keep_them_when_their_run_is_cleaned() {
    DagRunRow producer = producerRun("produce", T0);
    for (int i = 0; i < 3; i++) {
      store.write(new Batch().datasetEvent(event(producer, "t" + i, SALES, T0.plusSeconds(i))));
    }
    store.write(
        new Batch().run(producer.withState(RunState.SUCCESS, T0, T0.plus(Duration.ofHours(1)))));

    assertThat(store.clean(T0.plus(Duration.ofDays(1)))).isEqualTo(1);

    assertThat(store.datasetEvents(SALES, 2))
        .extracting(DatasetEventRow::sourceTaskId)
        .containsExactly("t2", "t1");
    assertThat(store.datasetEvents(SALES, 10))
        .allSatisfy(
            event -> {
              assertThat(event.sourceRunPk()).isNull();
              assertThat(event.sourceRunId()).isEqualTo(producer.runId());
            });
    assertThat(store.datasetEvents("file:///unknown", 10)).isEmpty();
  }

  private long version(String dagId) {
    return store.saveVersion(dagId, "a".repeat(64), null, "dags/" + dagId + ".groovy", "", T0);
  }

  private DagRunRow producerRun(String dagId, Instant logicalDate) {
    return store.insertRun(
        new NewRun(
            dagId,
            "manual__" + logicalDate,
            RunType.MANUAL,
            logicalDate,
            logicalDate,
            logicalDate,
            "{}",
            logicalDate,
            version(dagId),
            null),
        List.of(none("write")));
  }

  private NewRun triggered(String dagId, Instant now) {
    return new NewRun(
        dagId,
        "dataset_triggered__" + now,
        RunType.DATASET_TRIGGERED,
        now,
        now,
        now,
        "{}",
        now,
        version(dagId),
        null);
  }

  private static NewDatasetEvent event(DagRunRow run, String taskId, String uri, Instant at) {
    return new NewDatasetEvent(uri, run.dagId(), run.runId(), run.id(), taskId, at);
  }

  private static TaskInstanceRow none(String taskId) {
    return new TaskInstanceRow(0, taskId, TaskState.NONE, 0, 1, null, null, null, null);
  }

  private static TaskInstanceRow success(DagRunRow run, String taskId, Instant end) {
    return new TaskInstanceRow(run.id(), taskId, TaskState.SUCCESS, 1, 1, T0, end, null, null);
  }
}
