package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.config.Settings;
import dev.weir.executor.TaskLog;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.store.Migrations;
import dev.weir.store.RunType;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that read and write the metadata store, on a real H2 store in a temporary home. */
class StoreCommandsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private Path home;
  private Map<String, String> env;
  private Database database;
  private MetadataStore store;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeDags() throws IOException {
    home = temp.resolve("home");
    Path dags = Files.createDirectories(temp.resolve("dags"));
    Files.writeString(
        dags.resolve("daily.groovy"),
        """
        dag('daily') {
            schedule '@daily'
            startDate '2025-01-01'
            maxActiveRuns 3
            def a = bash('extract') { command 'echo extract {{ ds }}' }
            def b = task('transform') { ctx -> 1 }
            def c = empty('load')
            a >> b >> c
        }
        """);
    env = Map.of("WEIR_HOME", home.toString(), "WEIR_DAGS_FOLDER", dags.toString());
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

  /** The store the commands write, opened by the test as a second client. */
  private MetadataStore store() {
    if (store == null) {
      database = Database.open(Settings.load(env));
      store = new JdbcMetadataStore(database);
    }
    return store;
  }

  private DagRunRow run(String runId) {
    return store().run("daily", runId).orElseThrow();
  }

  /** Ends a run and sets each of its task instances to a state after one try. */
  private void finish(DagRunRow run, RunState runState, Map<String, TaskState> states) {
    Instant start = run.logicalDate().plusSeconds(86_400);
    Batch batch = new Batch().run(run.withState(runState, start, start.plusSeconds(60)));
    for (TaskInstanceRow ti : store().taskInstances(run.id())) {
      TaskState state = states.getOrDefault(ti.taskId(), TaskState.SUCCESS);
      batch.instance(
          new TaskInstanceRow(
              ti.runPk(),
              ti.taskId(),
              state,
              1,
              ti.maxTries(),
              start,
              start.plusSeconds(10),
              null,
              null));
    }
    store().write(batch);
  }

  private TaskState state(DagRunRow run, String taskId) {
    return store().taskInstances(run.id()).stream()
        .filter(ti -> ti.taskId().equals(taskId))
        .findFirst()
        .orElseThrow()
        .state();
  }

  @Test
  void should_trigger_a_run_that_list_runs_shows_queued() throws Exception {
    Result trigger = weir("dags", "trigger", "daily", "--conf", "{\"n\": 1}");
    assertThat(trigger.exitCode()).isZero();
    String runId = trigger.out().strip();
    assertThat(runId).startsWith("manual__");
    assertThat(trigger.err()).contains("dag 'daily' is paused");

    Result table = weir("dags", "list-runs", "daily");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out().lines().toList().get(0)).startsWith("RUN_ID").contains("STATE");
    assertThat(table.out()).containsPattern(runId.replace("+", "\\+") + "\\s+manual\\s+queued");

    JsonNode runs = JSON.readTree(weir("dags", "list-runs", "daily", "-o", "json").out());
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("runId").asText()).isEqualTo(runId);
    assertThat(runs.get(0).get("state").asText()).isEqualTo("queued");
    assertThat(runs.get(0).get("conf").get("n").asInt()).isEqualTo(1);

    assertThat(weir("dags", "state", "daily", runId).out()).isEqualTo("queued\n");
    JsonNode run = JSON.readTree(weir("dags", "state", "daily", runId, "-o", "json").out());
    assertThat(run.get("type").asText()).isEqualTo("manual");
    assertThat(weir("dags", "list-runs", "daily", "--state", "success").out().lines()).hasSize(1);
  }

  @Test
  void should_show_a_missed_deadline_in_list_runs() throws Exception {
    String runId = weir("dags", "trigger", "daily", "--logical-date", "2025-03-01").out().strip();
    DagRunRow run = run(runId);
    Instant due = Instant.parse("2025-03-02T02:00:00Z");
    store().write(new Batch().deadlineMissed(run.id(), due, due.plusSeconds(5)));

    Result table = weir("dags", "list-runs", "daily");
    assertThat(table.out().lines().toList().get(0)).contains("DEADLINE");
    assertThat(table.out()).contains("missed 2025-03-02T02:00:00");

    JsonNode json = JSON.readTree(weir("dags", "list-runs", "daily", "-o", "json").out());
    assertThat(json.get(0).get("deadlineMissed").asBoolean()).isTrue();
    assertThat(json.get(0).get("deadlineAt").asText()).startsWith("2025-03-02T02:00:00");
    assertThat(json.get(0).get("deadlineMissedAt").asText()).startsWith("2025-03-02T02:00:05");
  }

  @Test
  void should_trigger_at_a_logical_date_once() {
    Result first = weir("dags", "trigger", "daily", "--logical-date", "2025-03-01");
    assertThat(first.exitCode()).isZero();
    assertThat(first.out().strip()).isEqualTo("manual__2025-03-01T00:00:00+00:00");
    assertThat(run("manual__2025-03-01T00:00:00+00:00").intervalEnd())
        .isEqualTo(Instant.parse("2025-03-02T00:00:00Z"));

    Result again = weir("dags", "trigger", "daily", "--logical-date", "2025-03-01T00:00:00Z");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err())
        .isEqualTo(
            "weir: dag 'daily' has a run at logical date 2025-03-01T00:00:00+00:00 already"
                + " (manual__2025-03-01T00:00:00+00:00); give another --logical-date\n");
  }

  @Test
  void should_pause_and_unpause_a_dag_in_the_store() {
    Result pause = weir("dags", "pause", "daily");
    assertThat(pause.exitCode()).isZero();
    assertThat(pause.out()).isEqualTo("dag 'daily' is paused\n");
    assertThat(store().dag("daily").orElseThrow().paused()).isTrue();

    assertThat(weir("dags", "unpause", "daily").exitCode()).isZero();
    assertThat(store().dag("daily").orElseThrow().paused()).isFalse();
    assertThat(weir("dags", "list").out()).containsPattern("daily\\s+@daily\\s+UTC\\s+3\\s+no");

    assertThat(weir("dags", "pause", "daily").exitCode()).isZero();
    assertThat(store().dag("daily").orElseThrow().paused()).isTrue();
  }

  @Test
  void should_list_dags_without_creating_a_database() throws Exception {
    Result list = weir("dags", "list", "-o", "json");
    assertThat(list.exitCode()).isZero();
    JsonNode dags = JSON.readTree(list.out());
    assertThat(dags.get(0).get("paused").isNull()).isTrue();
    assertThat(home.resolve("weir.mv.db")).doesNotExist();

    weir("dags", "unpause", "daily");
    JsonNode known = JSON.readTree(weir("dags", "list", "-o", "json").out());
    assertThat(known.get(0).get("paused").asBoolean()).isFalse();
  }

  @Test
  void should_print_a_dry_run_backfill_and_create_nothing() {
    Result dry =
        weir(
            "dags", "backfill", "daily", "--from", "2025-01-01", "--to", "2025-01-03", "--dry-run");
    assertThat(dry.exitCode()).isZero();
    assertThat(dry.out())
        .containsPattern("2025-01-01T00:00:00\\+00:00\\s+create")
        .containsPattern("2025-01-02T00:00:00\\+00:00\\s+create")
        .containsPattern("2025-01-03T00:00:00\\+00:00\\s+create")
        .contains("Dry run: 3 to create, 0 to run again, 0 skipped; nothing was changed.");
    assertThat(store().runs("daily", null, 10)).isEmpty();
    assertThat(store().dag("daily")).isEmpty();
  }

  @Test
  void should_create_backfill_runs_and_plan_reruns_of_failed_ones() throws Exception {
    Result backfill =
        weir(
            "dags",
            "backfill",
            "daily",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-03",
            "--max-active-runs",
            "1",
            "-o",
            "json");
    assertThat(backfill.exitCode()).isZero();
    JsonNode json = JSON.readTree(backfill.out());
    assertThat(json.get("dryRun").asBoolean()).isFalse();
    assertThat(json.get("dates")).hasSize(3);
    List<DagRunRow> runs = store().runs("daily", null, 10);
    assertThat(runs).hasSize(3).allMatch(run -> run.type() == RunType.BACKFILL);
    assertThat(store().backfill(json.get("backfillId").asLong()).orElseThrow().maxActiveRuns())
        .isEqualTo(1);

    finish(run("backfill__2025-01-02T00:00:00+00:00"), RunState.FAILED, Map.of());
    Result plan =
        weir(
            "dags",
            "backfill",
            "daily",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-03",
            "--reprocess",
            "failed",
            "--dry-run");
    assertThat(plan.out())
        .containsPattern("2025-01-01T00:00:00\\+00:00\\s+skip \\(queued\\)")
        .containsPattern("2025-01-02T00:00:00\\+00:00\\s+rerun")
        .contains("Dry run: 0 to create, 1 to run again, 2 skipped");

    Result summary =
        weir("dags", "backfill", "daily", "--from", "2025-01-04", "--to", "2025-01-05");
    assertThat(summary.out())
        .containsPattern(
            "Backfill \\d+ of daily: 2 run\\(s\\) created, 0 cleared to run again, 0 skipped;"
                + " at most 3 run\\(s\\) at once.");
    assertThat(store().runs("daily", null, 10)).hasSize(5);
  }

  @Test
  void should_list_task_instances_of_a_new_run_in_state_none() throws Exception {
    String runId = weir("dags", "trigger", "daily").out().strip();
    Result table = weir("tasks", "states-for-dag-run", "daily", runId);
    assertThat(table.exitCode()).isZero();
    assertThat(table.out().lines().toList().get(0))
        .startsWith("TASK_ID")
        .contains("STATE", "TRY", "START", "END", "DURATION");
    assertThat(table.out())
        .containsPattern("extract\\s+none\\s+0")
        .containsPattern("transform\\s+none\\s+0")
        .containsPattern("load\\s+none\\s+0");
    JsonNode json =
        JSON.readTree(weir("tasks", "states-for-dag-run", "daily", runId, "-o", "json").out());
    assertThat(json).hasSize(3);
    assertThat(json.findValuesAsText("state")).containsOnly("none");
  }

  @Test
  void should_clear_a_task_and_its_downstream_tasks() throws Exception {
    weir("dags", "trigger", "daily", "--logical-date", "2025-03-01");
    DagRunRow run = run("manual__2025-03-01T00:00:00+00:00");
    finish(run, RunState.SUCCESS, Map.of());

    Result clear = weir("tasks", "clear", "daily", "--task-regex", "^trans", "--downstream");
    assertThat(clear.exitCode()).isZero();
    assertThat(clear.out())
        .containsPattern("manual__2025-03-01T00:00:00\\+00:00\\s+transform\\s+success")
        .containsPattern("manual__2025-03-01T00:00:00\\+00:00\\s+load\\s+success")
        .contains("Cleared 2 task instance(s).")
        .doesNotContain("extract");
    assertThat(state(run, "transform")).isEqualTo(TaskState.NONE);
    assertThat(state(run, "load")).isEqualTo(TaskState.NONE);
    assertThat(state(run, "extract")).isEqualTo(TaskState.SUCCESS);
    assertThat(run(run.runId()).state()).isEqualTo(RunState.QUEUED);

    JsonNode none =
        JSON.readTree(
            weir("tasks", "clear", "daily", "--only-failed", "--run-id", run.runId(), "-o", "json")
                .out());
    assertThat(none.get("count").asInt()).isZero();
  }

  @Test
  void should_clear_only_runs_between_two_dates() {
    weir("dags", "trigger", "daily", "--logical-date", "2025-03-01");
    weir("dags", "trigger", "daily", "--logical-date", "2025-03-05");
    DagRunRow early = run("manual__2025-03-01T00:00:00+00:00");
    DagRunRow late = run("manual__2025-03-05T00:00:00+00:00");
    finish(early, RunState.FAILED, Map.of("load", TaskState.FAILED));
    finish(late, RunState.FAILED, Map.of("load", TaskState.FAILED));

    Result clear =
        weir(
            "tasks",
            "clear",
            "daily",
            "--only-failed",
            "--from",
            "2025-03-04",
            "--to",
            "2025-03-06");
    assertThat(clear.exitCode()).isZero();
    assertThat(clear.out()).contains("Cleared 1 task instance(s).");
    assertThat(state(late, "load")).isEqualTo(TaskState.NONE);
    assertThat(state(early, "load")).isEqualTo(TaskState.FAILED);
  }

  @Test
  void should_print_the_log_of_the_latest_try() throws Exception {
    weir("dags", "trigger", "daily", "--logical-date", "2025-03-01");
    DagRunRow run = run("manual__2025-03-01T00:00:00+00:00");
    finish(run, RunState.SUCCESS, Map.of());
    Path log = TaskLog.path(home.resolve("logs"), "daily", run.runId(), "extract", 1);
    Files.createDirectories(log.getParent());
    Files.writeString(log, "starting\nextract 2025-03-01\n");

    Result logs = weir("tasks", "logs", "daily", run.runId(), "extract");
    assertThat(logs.exitCode()).isZero();
    assertThat(logs.out()).isEqualTo("starting\nextract 2025-03-01\n");

    Result missing = weir("tasks", "logs", "daily", run.runId(), "transform");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err())
        .contains("no log for try 1 of task 'transform'")
        .contains(
            TaskLog.path(home.resolve("logs"), "daily", run.runId(), "transform", 1).toString());

    Result noTry = weir("tasks", "logs", "daily", run.runId(), "extract", "--try", "2");
    assertThat(noTry.exitCode()).isEqualTo(2);
    assertThat(noTry.err()).contains("has 1 try; there is no try 2");
    Result noTask = weir("tasks", "logs", "daily", run.runId(), "nope");
    assertThat(noTask.exitCode()).isEqualTo(2);
    assertThat(noTask.err()).contains("has no task 'nope'; its tasks: ");
  }

  @Test
  void should_follow_a_log_until_the_try_ends() throws Exception {
    weir("dags", "trigger", "daily", "--logical-date", "2025-03-01");
    DagRunRow run = run("manual__2025-03-01T00:00:00+00:00");
    Instant start = Instant.parse("2025-03-02T00:00:00Z");
    TaskTryRow running =
        new TaskTryRow(run.id(), "extract", 1, TaskState.RUNNING, start, null, "h", "s", null);
    store()
        .write(
            new Batch()
                .run(run.withState(RunState.RUNNING, start, null))
                .startTry(running)
                .instance(
                    new TaskInstanceRow(
                        run.id(), "extract", TaskState.RUNNING, 1, 1, start, null, null, null)));
    Path log = TaskLog.path(home.resolve("logs"), "daily", run.runId(), "extract", 1);
    Files.createDirectories(log.getParent());
    Files.writeString(log, "first\n");

    CompletableFuture<Result> follow =
        CompletableFuture.supplyAsync(
            () -> weir("tasks", "logs", "daily", run.runId(), "extract", "--follow"));
    Thread.sleep(500);
    assertThat(follow).isNotDone();
    Files.writeString(log, "second\nlast", StandardOpenOption.APPEND);
    Instant end = start.plusSeconds(5);
    store()
        .write(
            new Batch()
                .endTry(
                    new TaskTryRow(
                        run.id(), "extract", 1, TaskState.SUCCESS, start, end, "h", "s", null))
                .instance(
                    new TaskInstanceRow(
                        run.id(), "extract", TaskState.SUCCESS, 1, 1, start, end, null, null)));

    Result result = follow.get(10, TimeUnit.SECONDS);
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("first\nsecond\nlast\n");
  }

  @Test
  void should_check_migrate_and_check_again_a_fresh_home() throws Exception {
    Result fresh = weir("db", "check");
    assertThat(fresh.exitCode()).isEqualTo(1);
    int count = Migrations.count();
    String latest = Migrations.latest();
    assertThat(fresh.out()).containsPattern("1\\s+metadata\\s+pending");
    assertThat(fresh.err())
        .isEqualTo("weir: " + count + " migration(s) pending; run weir db migrate\n");

    Result migrate = weir("db", "migrate");
    assertThat(migrate.exitCode()).isZero();
    assertThat(migrate.out())
        .startsWith("Applied " + count + " migration(s) to jdbc:h2:")
        .contains("version " + latest + ".");

    Result check = weir("db", "check");
    assertThat(check.exitCode()).isZero();
    assertThat(check.out()).containsPattern(latest + "\\s+.*applied").contains("up to date");
    JsonNode json = JSON.readTree(weir("db", "check", "-o", "json").out());
    assertThat(json.get("upToDate").asBoolean()).isTrue();
    assertThat(json.get("version").asText()).isEqualTo(latest);
    assertThat(weir("db", "migrate").out()).startsWith("Applied 0 migration(s)");
  }

  @Test
  void should_clean_finished_runs_before_a_date() {
    weir("dags", "trigger", "daily", "--logical-date", "2025-01-10");
    weir("dags", "trigger", "daily", "--logical-date", "2025-01-20");
    weir("dags", "trigger", "daily", "--logical-date", "2025-03-01");
    finish(run("manual__2025-01-10T00:00:00+00:00"), RunState.SUCCESS, Map.of());
    finish(run("manual__2025-03-01T00:00:00+00:00"), RunState.SUCCESS, Map.of());

    Result clean = weir("db", "clean", "--older-than", "2025-02-01");
    assertThat(clean.exitCode()).isZero();
    assertThat(clean.out())
        .isEqualTo(
            "Deleted 1 finished run(s) with a logical date before 2025-02-01T00:00:00+00:00.\n");
    assertThat(store().runs("daily", null, 10))
        .extracting(DagRunRow::runId)
        .containsExactly("manual__2025-03-01T00:00:00+00:00", "manual__2025-01-20T00:00:00+00:00");
  }

  @Test
  void should_set_list_and_delete_pools() throws Exception {
    assertThat(weir("pools", "set", "etl", "4", "--description", "Warehouse loads").out())
        .isEqualTo("Pool 'etl' has 4 slot(s).\n");
    assertThat(weir("pools", "set", "etl", "5").exitCode()).isZero();
    Result list = weir("pools", "list");
    assertThat(list.out())
        .containsPattern("default_pool\\s+128")
        .containsPattern("etl\\s+5\\s+Warehouse loads");
    JsonNode json = JSON.readTree(weir("pools", "list", "-o", "json").out());
    assertThat(json.findValuesAsText("name")).contains("default_pool", "etl");

    assertThat(weir("pools", "delete", "etl").out()).isEqualTo("Pool 'etl' deleted.\n");
    assertThat(weir("pools", "list").out()).doesNotContain("etl");

    Result builtIn = weir("pools", "delete", "default_pool");
    assertThat(builtIn.exitCode()).isEqualTo(2);
    assertThat(builtIn.err()).startsWith("weir: default_pool cannot be deleted");
    Result unknown = weir("pools", "delete", "etk");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("weir: no pool 'etk'\n");
    assertThat(weir("pools", "set", "etl", "-1").exitCode()).isEqualTo(2);
  }

  @Test
  void should_reject_bad_input_with_one_line_and_exit_2() {
    Result unknownDag = weir("dags", "trigger", "dialy");
    assertThat(unknownDag.exitCode()).isEqualTo(2);
    assertThat(unknownDag.err()).isEqualTo("weir: dag 'dialy' not found; did you mean 'daily'?\n");

    weir("dags", "trigger", "daily");
    Result notStored = weir("dags", "list-runs", "dail");
    assertThat(notStored.exitCode()).isEqualTo(2);
    assertThat(notStored.err())
        .startsWith("weir: dag 'dail' is not in the metadata database; did you mean 'daily'?");

    Result badState = weir("dags", "list-runs", "daily", "--state", "done");
    assertThat(badState.exitCode()).isEqualTo(2);
    assertThat(badState.err())
        .isEqualTo("weir: unknown run state 'done'; use queued, running, success, failed\n");

    Result badDate = weir("dags", "trigger", "daily", "--logical-date", "2025-13-01");
    assertThat(badDate.exitCode()).isEqualTo(2);
    assertThat(badDate.err()).startsWith("weir: '2025-13-01' is not a logical date");

    Result badConf = weir("dags", "trigger", "daily", "--conf", "[1]");
    assertThat(badConf.exitCode()).isEqualTo(2);
    assertThat(badConf.err()).contains("--conf must be a JSON object");

    Result badRegex = weir("tasks", "clear", "daily", "--task-regex", "a[");
    assertThat(badRegex.exitCode()).isEqualTo(2);
    assertThat(badRegex.err()).startsWith("weir: --task-regex 'a[' is not a regular expression");

    Result badReprocess =
        weir(
            "dags",
            "backfill",
            "daily",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-02",
            "--reprocess",
            "some");
    assertThat(badReprocess.exitCode()).isEqualTo(2);
    assertThat(badReprocess.err())
        .isEqualTo("weir: --reprocess takes none, failed or all, got 'some'\n");

    Result backwards =
        weir("dags", "backfill", "daily", "--from", "2025-02-01", "--to", "2025-01-01");
    assertThat(backwards.exitCode()).isEqualTo(2);

    Result noRun = weir("tasks", "states-for-dag-run", "daily", "nope");
    assertThat(noRun.exitCode()).isEqualTo(2);
    assertThat(noRun.err()).startsWith("weir: dag 'daily' has no run 'nope'; its latest: manual__");

    Result missingOption = weir("dags", "backfill", "daily", "--from", "2025-01-01");
    assertThat(missingOption.exitCode()).isEqualTo(2);
    assertThat(missingOption.err()).contains("Missing required option: '--to=DATE'");
  }
}
