package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.run.TryOutcome;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.DatasetEventRow;
import dev.weir.store.RunType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-aware scheduling in the scheduler's pass, on a real H2 store, pass by pass. */
class DatasetSchedulingTest {
  private static final String SALES = "file:///data/sales.csv";
  private static final String PRICES = "s3://bucket/prices";

  @TempDir Path temp;
  private SchedulerHarness weir;

  @AfterEach
  void close() {
    if (weir != null) {
      weir.close();
    }
  }

  private SchedulerHarness harness() {
    weir = new SchedulerHarness(temp, Instant.parse("2025-03-01T01:30:00Z"));
    return weir;
  }

  /** A manual-only DAG whose task {@code write} updates the dataset; {@code body} is its code. */
  private static String producer(String id, String uri, String body) {
    return "dag('"
        + id
        + "') { schedule none(); pausedAtCreation false\n"
        + " def w = task('write', outlets: dataset('"
        + uri
        + "')) { "
        + body
        + " }\n w >> empty('after') }\n";
  }

  private static String consumer(String id, String datasets, boolean paused) {
    return "dag('"
        + id
        + "') { schedule datasets("
        + datasets
        + "); pausedAtCreation "
        + paused
        + "\n task('train') { 1 } }\n";
  }

  private DagRunRow produce(String dagId) {
    weir.clock.advance(Duration.ofMinutes(1)); // a manual run per minute: new logical dates
    DagRunRow run = weir.trigger(dagId, null);
    weir.pass();
    return run;
  }

  @Test
  void should_queue_and_run_a_consumer_once_its_producer_task_succeeds() {
    harness()
        .dag("produce.groovy", producer("produce", SALES, "1"))
        .dag("retrain.groovy", consumer("retrain", "'" + SALES + "'", false))
        .start(4, false);
    DagRunRow production = weir.trigger("produce", null);
    weir.pass();
    assertThat(weir.runs("retrain")).isEmpty();

    TryRequest write = weir.executor.waiting().get(0);
    assertThat(write.taskId()).isEqualTo("write");
    weir.executor.end(write.key(), new TryOutcome(TaskState.SUCCESS, null, null, Duration.ZERO));
    weir.core.pass(false); // the end alone, no tick: the consumer reacts at once

    DagRunRow run = weir.runs("retrain").get(0);
    assertThat(run.type()).isEqualTo(RunType.DATASET_TRIGGERED);
    assertThat(run.runId()).isEqualTo("dataset_triggered__2025-03-01T01:30:00+00:00");
    assertThat(run.logicalDate()).isEqualTo(weir.clock.instant());
    assertThat(weir.states(run)).containsEntry("train", TaskState.RUNNING);
    assertThat(weir.executor.waiting())
        .extracting(TryRequest::taskId)
        .containsExactlyInAnyOrder("after", "train");
    assertThat(weir.store.triggeringEvents(run.id()))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.uri()).isEqualTo(SALES);
              assertThat(event.sourceDagId()).isEqualTo("produce");
              assertThat(event.sourceRunId()).isEqualTo(production.runId());
              assertThat(event.sourceTaskId()).isEqualTo("write");
            });

    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.run("retrain", run.runId()).state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.runs("retrain")).hasSize(1);
  }

  @Test
  void should_run_a_consumer_of_two_datasets_only_after_both_were_updated() {
    harness()
        .dag("sales.groovy", producer("sales", SALES, "1"))
        .dag("prices.groovy", producer("prices", PRICES, "1"))
        .dag("model.groovy", consumer("model", "'" + SALES + "', '" + PRICES + "'", false))
        .start(4, true);

    produce("sales");
    produce("sales");
    assertThat(weir.runs("model")).isEmpty();

    produce("prices");

    assertThat(weir.runs("model")).hasSize(1);
    DagRunRow run = weir.runs("model").get(0);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.store.triggeringEvents(run.id()))
        .extracting(DatasetEventRow::sourceDagId)
        .containsExactly("sales", "sales", "prices");
    // The data interval spans the first to the last triggering update.
    assertThat(run.intervalStart()).isEqualTo(Instant.parse("2025-03-01T01:31:00Z"));
    assertThat(run.intervalEnd()).isEqualTo(Instant.parse("2025-03-01T01:33:00Z"));

    produce("prices");
    assertThat(weir.runs("model")).as("prices alone is not enough again").hasSize(1);
    produce("sales");
    assertThat(weir.runs("model")).hasSize(2);
  }

  @Test
  void should_record_no_event_when_the_producer_task_fails_or_is_skipped() {
    harness()
        .dag("broken.groovy", producer("broken", SALES, "throw new IllegalStateException('no')"))
        .dag(
            "skipping.groovy",
            producer("skipping", SALES, "throw new dev.weir.run.SkipTask('nothing new')"))
        .dag("retrain.groovy", consumer("retrain", "'" + SALES + "'", false))
        .start(4, true);

    DagRunRow broken = produce("broken");
    DagRunRow skipped = produce("skipping");

    assertThat(weir.states(broken)).containsEntry("write", TaskState.FAILED);
    assertThat(weir.states(skipped)).containsEntry("write", TaskState.SKIPPED);
    assertThat(weir.store.datasetEvents(SALES, 10)).isEmpty();
    assertThat(weir.runs("retrain")).isEmpty();
  }

  @Test
  void should_give_a_paused_consumer_one_run_with_every_update_when_unpaused() {
    harness()
        .dag("produce.groovy", producer("produce", SALES, "1"))
        .dag("retrain.groovy", consumer("retrain", "'" + SALES + "'", true))
        .start(4, true);

    produce("produce");
    produce("produce");
    assertThat(weir.runs("retrain")).isEmpty();

    weir.unpause("retrain");
    weir.pass();

    assertThat(weir.runs("retrain")).hasSize(1);
    DagRunRow run = weir.runs("retrain").get(0);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.store.triggeringEvents(run.id())).hasSize(2);
  }

  @Test
  void should_keep_pending_updates_across_a_restart() {
    harness()
        .dag("sales.groovy", producer("sales", SALES, "1"))
        .dag("prices.groovy", producer("prices", PRICES, "1"))
        .dag("model.groovy", consumer("model", "'" + SALES + "', '" + PRICES + "'", false))
        .dag("report.groovy", consumer("report", "'" + SALES + "'", true))
        .start(4, true);
    produce("sales");

    weir.start(4, true); // a new scheduler on the same store
    produce("prices");
    assertThat(weir.runs("model")).hasSize(1);
    assertThat(weir.store.triggeringEvents(weir.runs("model").get(0).id()))
        .extracting(DatasetEventRow::sourceDagId)
        .containsExactly("sales", "prices");

    // Due while paused, then a restart: the new scheduler creates the run once it is unpaused.
    weir.start(4, true);
    weir.pass();
    assertThat(weir.runs("report")).isEmpty();
    weir.unpause("report");
    weir.pass();
    assertThat(weir.runs("report")).hasSize(1);
  }

  @Test
  void should_run_a_consumer_that_is_due_when_a_restart_finds_it_unpaused() {
    harness()
        .dag("produce.groovy", producer("produce", SALES, "1"))
        .dag("retrain.groovy", consumer("retrain", "'" + SALES + "'", true))
        .start(4, true);
    produce("produce");
    weir.store.setPaused("retrain", false); // unpaused while no scheduler runs

    weir.start(4, true);
    weir.pass();

    assertThat(weir.runs("retrain"))
        .singleElement()
        .extracting(DagRunRow::state)
        .isEqualTo(RunState.SUCCESS);
  }
}
