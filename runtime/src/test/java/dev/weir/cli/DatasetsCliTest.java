package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.config.Settings;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.scheduler.SchedulerDaemon;
import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import dev.weir.store.RunType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset-scheduled DAG under the real scheduler (its loop, worker threads, a bash child process
 * and the H2 store of a temporary home), and {@code weir datasets} listing what happened.
 */
class DatasetsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private Path dags;
  private Path data;
  private Map<String, String> env;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeDags() throws IOException {
    dags = Files.createDirectories(temp.resolve("dags"));
    data = temp.resolve("sales.csv");
    String uri = data.toUri().toString();
    Files.writeString(
        dags.resolve("produce.groovy"),
        """
        dag('produce') {
            pausedAtCreation false
            bash('export') {
                command 'echo "day,amount" > DATA && echo "{{ ds }},42" >> DATA'
                outlets dataset('URI')
            }
        }
        """
            .replace("DATA", data.toString())
            .replace("URI", uri));
    Files.writeString(
        dags.resolve("retrain.groovy"),
        """
        dag('retrain') {
            schedule datasets('URI')
            pausedAtCreation false
            task('train') { ctx -> new File('DATA').readLines().size() }
        }
        """
            .replace("DATA", data.toString())
            .replace("URI", uri));
    env =
        Map.of(
            "WEIR_HOME",
            temp.resolve("home").toString(),
            "WEIR_DAGS_FOLDER",
            dags.toString(),
            "WEIR_SCHEDULER_DRAIN_GRACE",
            "1s");
  }

  private Result weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void should_run_a_dataset_scheduled_dag_when_its_producer_finishes() throws Exception {
    Settings settings = Settings.load(env);
    String uri = data.toUri().toString();
    try (SchedulerDaemon daemon =
        new SchedulerDaemon(
            settings,
            SchedulerDaemon.Options.from(settings, dags, DagBagOptions.defaults()),
            Clock.systemUTC())) {
      daemon.start();
      Result trigger = weir("dags", "trigger", "produce");
      assertThat(trigger.exitCode()).as(trigger.err()).isZero();

      DagRunRow retrain = awaitFinishedRun(daemon, "retrain");
      assertThat(retrain.type()).isEqualTo(RunType.DATASET_TRIGGERED);
      assertThat(retrain.state()).isEqualTo(RunState.SUCCESS);
      assertThat(retrain.runId()).startsWith("dataset_triggered__");
      DagRunRow produce = daemon.store().runs("produce", null, 10).get(0);
      assertThat(produce.runId()).isEqualTo(trigger.out().strip());
      assertThat(daemon.store().triggeringEvents(retrain.id()))
          .singleElement()
          .satisfies(event -> assertThat(event.sourceRunId()).isEqualTo(produce.runId()));
      assertThat(Files.readAllLines(data)).hasSize(2);
    }

    Result list = weir("datasets", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    List<String> lines = list.out().lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("URI", "PRODUCERS", "CONSUMERS", "LAST_UPDATE", "UPDATES");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).split("\\s+"))
        .startsWith(uri, "produce.export", "retrain")
        .endsWith("1");

    JsonNode json = JSON.readTree(weir("datasets", "list", "-o", "json").out());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("uri").asText()).isEqualTo(uri);
    assertThat(json.get(0).get("producers").get(0).get("taskId").asText()).isEqualTo("export");
    assertThat(json.get(0).get("consumers").get(0).asText()).isEqualTo("retrain");
    assertThat(json.get(0).get("updates").asLong()).isEqualTo(1);
    assertThat(json.get(0).get("lastUpdate").asText()).endsWith("+00:00");

    Result events = weir("datasets", "events", uri);
    assertThat(events.exitCode()).as(events.err()).isZero();
    assertThat(events.out().lines().skip(1).toList())
        .singleElement()
        .satisfies(line -> assertThat(line).contains("produce", "export", "manual__"));

    Result unknown = weir("datasets", "events", uri + "x");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo(
            "weir: no dataset '"
                + uri
                + "x'; did you mean '"
                + uri
                + "'? (weir datasets list shows them)\n");

    Result dagsList = weir("dags", "list");
    assertThat(dagsList.out()).contains("datasets(" + uri + ")");
  }

  @Test
  void should_name_the_datasets_a_test_run_would_update_without_recording_them() {
    Result test = weir("dags", "test", "produce");

    assertThat(test.exitCode()).as(test.err()).isZero();
    assertThat(test.out())
        .contains(
            "Datasets updated (not recorded: dags test has no store, so no DAG is triggered): "
                + data.toUri());
    assertThat(weir("datasets", "list").out().lines()).hasSize(1); // the header: nothing recorded
  }

  /** Waits, up to a minute, for the DAG's first run to finish. */
  private static DagRunRow awaitFinishedRun(SchedulerDaemon daemon, String dagId)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      List<DagRunRow> runs = daemon.store().runs(dagId, null, 10);
      if (!runs.isEmpty() && runs.get(0).state().isFinished()) {
        return runs.get(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no run of " + dagId + " finished within a minute");
  }
}
