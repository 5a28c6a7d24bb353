package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.config.Settings;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir tasks mark} and {@code weir dags set-run-state} on a real H2 store with no scheduler
 * running, so the commands carry the marks out themselves.
 */
class MarkCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN_ID = "manual__2025-03-01T00:00:00+00:00";

  @TempDir Path temp;
  private Map<String, String> env;
  private Database database;
  private MetadataStore store;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void triggerARun() throws IOException {
    Path dags = Files.createDirectories(temp.resolve("dags"));
    Files.writeString(
        dags.resolve("daily.groovy"),
        """
        dag('daily') {
            schedule '@daily'
            startDate '2025-01-01'
            def a = bash('extract') { command 'echo extract {{ ds }}' }
            def b = task('transform') { ctx -> 1 }
            def c = empty('load')
            a >> b >> c
        }
        """);
    env = Map.of("WEIR_HOME", temp.resolve("home").toString(), "WEIR_DAGS_FOLDER", dags.toString());
    assertThat(weir("dags", "trigger", "daily", "--logical-date", "2025-03-01").exitCode())
        .isZero();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
      database.close();
    }
  }

  private Result weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Result(code, out.toString(), err.toString());
  }

  private MetadataStore store() {
    if (store == null) {
      database = Database.open(Settings.load(env));
      store = new JdbcMetadataStore(database);
    }
    return store;
  }

  private DagRunRow run() {
    return store().run("daily", RUN_ID).orElseThrow();
  }

  /** Ends the run and sets its task instances to these states after one try each. */
  private void finish(RunState runState, Map<String, TaskState> states) {
    DagRunRow run = run();
    Instant start = Instant.parse("2025-03-02T00:00:00Z");
    Batch batch = new Batch().run(run.withState(runState, start, start.plusSeconds(60)));
    for (TaskInstanceRow ti : store().taskInstances(run.id())) {
      batch.instance(
          new TaskInstanceRow(
              ti.runPk(),
              ti.taskId(),
              states.getOrDefault(ti.taskId(), TaskState.SUCCESS),
              1,
              ti.maxTries(),
              start,
              start.plusSeconds(10),
              null,
              null));
    }
    store().write(batch);
  }

  private Map<String, TaskState> states() {
    Map<String, TaskState> states = new LinkedHashMap<>();
    for (TaskInstanceRow ti : store().taskInstances(run().id())) {
      states.put(ti.taskId(), ti.state());
    }
    return states;
  }

  @Test
  void should_mark_a_failed_task_success_and_clear_its_failed_downstream() throws Exception {
    finish(
        RunState.FAILED,
        Map.of(
            "extract",
            TaskState.FAILED,
            "transform",
            TaskState.UPSTREAM_FAILED,
            "load",
            TaskState.UPSTREAM_FAILED));

    Result mark = weir("tasks", "mark", "daily", RUN_ID, "extract", "--state", "success");

    assertThat(mark.exitCode()).as(mark.err()).isZero();
    assertThat(mark.out())
        .containsPattern("TASK_ID\\s+FROM\\s+TO")
        .containsPattern("extract\\s+failed\\s+success")
        .containsPattern("transform\\s+upstream_failed\\s+none")
        .containsPattern("load\\s+upstream_failed\\s+none")
        .contains(
            "Marked 1 task instance(s) success; cleared 2 downstream so that they run again.");
    assertThat(states())
        .containsEntry("extract", TaskState.SUCCESS)
        .containsEntry("transform", TaskState.NONE)
        .containsEntry("load", TaskState.NONE);
    assertThat(run().state()).isEqualTo(RunState.QUEUED);

    JsonNode json =
        JSON.readTree(
            weir("tasks", "mark", "daily", RUN_ID, "load", "--state", "FAILED", "-o", "json")
                .out());
    assertThat(json.get("state").asText()).isEqualTo("failed");
    assertThat(json.get("count").asInt()).isEqualTo(1);
    assertThat(json.get("changed").get(0).get("taskId").asText()).isEqualTo("load");
    assertThat(json.get("changed").get(0).get("from").asText()).isEqualTo("none");
    assertThat(json.get("changed").get(0).get("to").asText()).isEqualTo("failed");
    assertThat(states()).containsEntry("load", TaskState.FAILED);
  }

  @Test
  void should_mark_downstream_tasks_too_and_give_the_run_its_outcome() {
    finish(
        RunState.FAILED, Map.of("transform", TaskState.FAILED, "load", TaskState.UPSTREAM_FAILED));

    Result mark =
        weir("tasks", "mark", "daily", RUN_ID, "transform", "--downstream", "--state", "success");

    assertThat(mark.exitCode()).as(mark.err()).isZero();
    assertThat(mark.out()).contains("Marked 2 task instance(s) success.");
    assertThat(states().values()).containsOnly(TaskState.SUCCESS);
    assertThat(run().state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_set_a_run_state_and_say_what_it_was() throws Exception {
    finish(RunState.SUCCESS, Map.of());

    Result failed = weir("dags", "set-run-state", "daily", RUN_ID, "--state", "failed");
    assertThat(failed.exitCode()).as(failed.err()).isZero();
    assertThat(failed.out())
        .isEqualTo("run '" + RUN_ID + "' of dag 'daily' is failed (was success)\n");
    assertThat(run().state()).isEqualTo(RunState.FAILED);

    Result again = weir("dags", "set-run-state", "daily", RUN_ID, "--state", "failed");
    assertThat(again.out())
        .isEqualTo("run '" + RUN_ID + "' of dag 'daily' is failed (unchanged)\n");

    JsonNode queued =
        JSON.readTree(
            weir("dags", "set-run-state", "daily", RUN_ID, "--state", "queued", "-o", "json")
                .out());
    assertThat(queued.get("runId").asText()).isEqualTo(RUN_ID);
    assertThat(queued.get("state").asText()).isEqualTo("queued");
    assertThat(states().values()).containsOnly(TaskState.NONE);

    Result success = weir("dags", "set-run-state", "daily", RUN_ID, "--state", "success");
    assertThat(success.out()).endsWith("is success (was queued)\n");
    assertThat(states().values()).containsOnly(TaskState.SUCCESS);
  }

  @Test
  void should_refuse_bad_input_with_a_usage_error_and_change_nothing() {
    finish(RunState.FAILED, Map.of("load", TaskState.FAILED));
    Map<String, TaskState> before = states();

    List<List<String>> calls =
        List.of(
            List.of("tasks", "mark", "daily", RUN_ID, "load", "--state", "done"),
            List.of("tasks", "mark", "daily", RUN_ID, "nope", "--state", "success"),
            List.of("tasks", "mark", "daily", "nope", "load", "--state", "success"),
            List.of("tasks", "mark", "dail", RUN_ID, "load", "--state", "success"),
            List.of(
                "tasks", "mark", "daily", RUN_ID, "load", "--state", "success", "--map-index", "2"),
            List.of("dags", "set-run-state", "daily", RUN_ID, "--state", "running"));
    List<String> messages =
        List.of(
            "weir: --state takes success or failed, got 'done'\n",
            "weir: dag 'daily' has no task 'nope'; its tasks: extract, transform, load\n",
            "weir: dag 'daily' has no run 'nope'; its latest: "
                + RUN_ID
                + " (weir dags list-runs)\n",
            "weir: dag 'dail' is not in the metadata database; did you mean 'daily'?",
            "weir: task 'load' is not mapped, so it has no map index 2\n",
            "weir: --state takes success, failed or queued, got 'running'\n");
    for (int i = 0; i < calls.size(); i++) {
      Result result = weir(calls.get(i).toArray(String[]::new));
      assertThat(result.exitCode()).as(calls.get(i).toString()).isEqualTo(2);
      assertThat(result.err()).as(calls.get(i).toString()).startsWith(messages.get(i));
    }

    Result missing = weir("tasks", "mark", "daily", RUN_ID, "load");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--state=STATE'");

    assertThat(states()).isEqualTo(before);
    assertThat(run().state()).isEqualTo(RunState.FAILED);
  }
}
