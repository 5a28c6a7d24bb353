package dev.weir.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.executor.TaskLog;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import dev.weir.users.Role;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsApiTest {
  static final String ETL =
      """
      dag('etl') {
          description 'Extract and load'
          schedule none()
          params { region 'eu', allowed: ['eu', 'us'] }
          def extract = bash('extract') { command 'echo hi' }
          def load = task('load') { ctx -> }
          def report = task('report') { ctx -> }
          extract >> load >> report
      }
      """;
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant START = Instant.parse("2025-03-01T06:00:00Z");

  @TempDir Path temp;
  WebFixture web;
  ApiClient user;
  ApiClient viewer;

  @BeforeEach
  void start() {
    web = new WebFixture(temp).dag("etl.groovy", ETL).start();
    user = web.api(Role.USER);
    viewer = web.api(Role.VIEWER);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(response.body(), e);
    }
  }

  static String encode(String runId) {
    return URLEncoder.encode(runId, StandardCharsets.UTF_8);
  }

  private DagRunRow trigger(String logicalDate) {
    HttpResponse<String> response =
        user.post(
            "/api/v1/dags/etl/dagRuns",
            "{\"conf\": {\"region\": \"us\"}, \"logical_date\": \"" + logicalDate + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return web.store.run("etl", json(response).get("dag_run_id").asText()).orElseThrow();
  }

  /** Puts the run's tasks into states as a finished run would have them, with one try each. */
  private void finish(DagRunRow run, TaskState extract, TaskState load) {
    Batch batch = new Batch().run(run.withState(RunState.FAILED, START, START.plusSeconds(9)));
    for (Object[] task : new Object[][] {{"extract", extract}, {"load", load}}) {
      String taskId = (String) task[0];
      TaskState state = (TaskState) task[1];
      batch.instance(
          new TaskInstanceRow(
              run.id(), taskId, state, 1, 1, START, START.plusSeconds(4), null, null));
      batch.startTry(
          new TaskTryRow(
              run.id(), taskId, 1, TaskState.RUNNING, START, null, "host-a", "s1", null));
      TaskTryRow ended =
          new TaskTryRow(
              run.id(), taskId, 1, state, START, START.plusSeconds(4), "host-a", "s1", null);
      batch.endTry(ended);
      if (taskId.equals("extract")) {
        batch.renderedFields(ended, Map.of("command", "echo hi"));
      }
    }
    batch.xcoms(run.id(), "load", -1, Map.of("return_value", "{\"rows\":42}"), START);
    web.store.write(batch);
  }

  @Test
  void should_trigger_a_run_and_list_it() {
    HttpResponse<String> triggered =
        user.post(
            "/api/v1/dags/etl/dagRuns",
            "{\"conf\": {\"region\": \"us\"}, \"logical_date\": \"2025-03-01T06:00:00Z\"}");

    assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(200);
    JsonNode run = json(triggered);
    assertThat(run.get("dag_run_id").asText()).isEqualTo("manual__2025-03-01T06:00:00+00:00");
    assertThat(run.get("state").asText()).isEqualTo("queued");
    assertThat(run.get("conf").get("region").asText()).isEqualTo("us");
    assertThat(run.get("logical_date").asText()).isEqualTo("2025-03-01T06:00:00Z");
    assertThat(web.store.dag("etl")).isPresent();

    JsonNode runs = json(viewer.get("/api/v1/dags/etl/dagRuns"));
    assertThat(runs.get("total_entries").asInt()).isEqualTo(1);
    assertThat(runs.get("dag_runs").get(0).get("dag_run_id").asText())
        .isEqualTo("manual__2025-03-01T06:00:00+00:00");
    HttpResponse<String> one =
        viewer.get("/api/v1/dags/etl/dagRuns/" + encode("manual__2025-03-01T06:00:00+00:00"));
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(json(one).get("version_id").asLong()).isPositive();
    assertThat(json(one).get("deadline_missed").asBoolean()).isFalse();
    assertThat(json(one).get("deadline_at").isNull()).isTrue();

    long pk = web.store.run("etl", "manual__2025-03-01T06:00:00+00:00").orElseThrow().id();
    Instant due = Instant.parse("2025-03-01T08:00:00Z");
    web.store.write(new Batch().deadlineMissed(pk, due, due.plusSeconds(3)));
    JsonNode missed =
        json(viewer.get("/api/v1/dags/etl/dagRuns/" + encode("manual__2025-03-01T06:00:00+00:00")));
    assertThat(missed.get("deadline_missed").asBoolean()).isTrue();
    assertThat(missed.get("deadline_at").asText()).isEqualTo("2025-03-01T08:00:00Z");
    assertThat(missed.get("deadline_missed_at").asText()).isEqualTo("2025-03-01T08:00:03Z");
  }

  @Test
  void should_trigger_with_a_run_id_of_ones_own() {
    HttpResponse<String> triggered =
        user.post("/api/v1/dags/etl/dagRuns", "{\"dag_run_id\": \"nightly-fix\"}");

    assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/dags/etl/dagRuns/nightly-fix").statusCode()).isEqualTo(200);
  }

  @Test
  void should_refuse_bad_triggers_and_create_nothing() {
    trigger("2025-03-01T06:00:00Z");

    assertRefused(
        user.post("/api/v1/dags/etl/dagRuns", "{\"conf\": {\"region\": \"mars\"}}"), 400, "region");
    assertRefused(user.post("/api/v1/dags/etl/dagRuns", "{\"conf\": [1, 2]}"), 400, "conf");
    assertRefused(user.post("/api/v1/dags/etl/dagRuns", "{\"conf\": "), 400, "not valid JSON");
    assertRefused(
        user.post("/api/v1/dags/etl/dagRuns", "{\"logical_date\": \"yesterday\"}"),
        400,
        "logical_date");
    assertRefused(
        user.post("/api/v1/dags/etl/dagRuns", "{\"dag_run_id\": \"../../etc\"}"),
        400,
        "dag_run_id");
    assertRefused(
        user.post("/api/v1/dags/etx/dagRuns", "{}"), 404, "'etx' not found; did you mean 'etl'?");
    assertRefused(
        user.post("/api/v1/dags/etl/dagRuns", "{\"logical_date\": \"2025-03-01T06:00:00Z\"}"),
        409,
        "already");
    assertRefused(viewer.post("/api/v1/dags/etl/dagRuns", "{}"), 403, "needs User");
    assertRefused(web.anonymousApi().post("/api/v1/dags/etl/dagRuns", "{}"), 401, "log in");

    assertThat(web.store.runs("etl", null, 100)).hasSize(1);
  }

  @Test
  void should_filter_and_page_runs_and_refuse_bad_parameters() {
    DagRunRow first = trigger("2025-03-01T06:00:00Z");
    trigger("2025-03-02T06:00:00Z");
    trigger("2025-03-03T06:00:00Z");
    finish(first, TaskState.SUCCESS, TaskState.FAILED);

    JsonNode failed = json(viewer.get("/api/v1/dags/etl/dagRuns?state=failed"));
    JsonNode page = json(viewer.get("/api/v1/dags/etl/dagRuns?limit=1&offset=1"));
    JsonNode range =
        json(
            viewer.get(
                "/api/v1/dags/etl/dagRuns?logical_date_gte=2025-03-02T00:00:00Z"
                    + "&logical_date_lte=2025-03-02T23:00:00%2B00:00"));

    assertThat(failed.get("total_entries").asInt()).isEqualTo(1);
    assertThat(failed.get("dag_runs").get(0).get("dag_run_id").asText()).isEqualTo(first.runId());
    assertThat(page.get("total_entries").asInt()).isEqualTo(3);
    assertThat(page.get("dag_runs")).hasSize(1);
    assertThat(page.get("dag_runs").get(0).get("logical_date").asText())
        .isEqualTo("2025-03-02T06:00:00Z");
    assertThat(range.get("dag_runs")).hasSize(1);
    assertRefused(viewer.get("/api/v1/dags/etl/dagRuns?state=done"), 400, "'done'");
    assertRefused(viewer.get("/api/v1/dags/etl/dagRuns?limit=0"), 400, "'limit'");
    assertRefused(viewer.get("/api/v1/dags/etl/dagRuns?limit=1001"), 400, "'limit'");
    assertRefused(viewer.get("/api/v1/dags/etl/dagRuns?offset=-1"), 400, "'offset'");
    assertRefused(viewer.get("/api/v1/dags/etl/dagRuns?limit=many"), 400, "'limit'");
    assertRefused(
        viewer.get("/api/v1/dags/etl/dagRuns?logical_date_gte=monday"), 400, "logical_date_gte");
    assertRefused(viewer.get("/api/v1/dags/nope/dagRuns"), 404, "'nope'");
    assertRefused(viewer.get("/api/v1/dags/etl/dagRuns/nope"), 404, "no run 'nope'");
    assertRefused(web.anonymousApi().get("/api/v1/dags/etl/dagRuns"), 401, "log in");
  }

  @Test
  void should_list_task_instances_their_tries_and_xcoms() {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    finish(run, TaskState.SUCCESS, TaskState.FAILED);
    String base = "/api/v1/dags/etl/dagRuns/" + encode(run.runId()) + "/taskInstances";

    JsonNode all = json(viewer.get(base));
    JsonNode failed = json(viewer.get(base + "?state=failed"));
    JsonNode load = json(viewer.get(base + "/load"));
    JsonNode tries = json(viewer.get(base + "/load/tries"));
    JsonNode xcoms = json(viewer.get(base + "/load/xcomEntries"));

    assertThat(all.get("total_entries").asInt()).isEqualTo(3);
    assertThat(all.get("task_instances").findValuesAsText("task_id"))
        .containsExactly("extract", "load", "report");
    assertThat(failed.get("task_instances").findValuesAsText("task_id")).containsExactly("load");
    assertThat(load.get("state").asText()).isEqualTo("failed");
    assertThat(load.get("duration").asDouble()).isEqualTo(4.0);
    assertThat(load.get("hostname").asText()).isEqualTo("host-a");
    assertThat(load.get("operator").asText()).isEqualTo("task");
    assertThat(tries.get("task_instance_tries")).hasSize(1);
    assertThat(tries.get("task_instance_tries").get(0).get("state").asText()).isEqualTo("failed");
    assertThat(xcoms.get("xcom_entries").get(0).get("key").asText()).isEqualTo("return_value");
    assertThat(xcoms.get("xcom_entries").get(0).get("value").get("rows").asInt()).isEqualTo(42);
    assertRefused(viewer.get(base + "/nope"), 404, "no task 'nope'");
    assertRefused(viewer.get(base + "/load?map_index=3"), 404, "map_index 3");
    assertRefused(viewer.get(base + "/load?map_index=x"), 400, "'map_index'");
    assertRefused(viewer.get(base + "?state=broken"), 400, "'broken'");
    assertRefused(viewer.get(base + "/nope/tries"), 404, "no task 'nope'");
    assertRefused(viewer.get(base + "/nope/xcomEntries"), 404, "no task 'nope'");
    assertRefused(viewer.get("/api/v1/dags/etl/dagRuns/nope/taskInstances"), 404, "no run 'nope'");
    assertRefused(web.anonymousApi().get(base), 401, "log in");
  }

  @Test
  void should_show_the_fields_a_try_rendered() {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    finish(run, TaskState.SUCCESS, TaskState.FAILED);
    String base = "/api/v1/dags/etl/dagRuns/" + encode(run.runId()) + "/taskInstances";

    JsonNode latest = json(viewer.get(base + "/extract/rendered"));
    JsonNode first = json(viewer.get(base + "/extract/rendered?try_number=1"));
    JsonNode none = json(viewer.get(base + "/load/rendered"));

    assertThat(latest.get("rendered_fields").get("command").asText()).isEqualTo("echo hi");
    assertThat(first).isEqualTo(latest);
    assertThat(none.get("rendered_fields").size()).isZero();
    assertRefused(viewer.get(base + "/extract/rendered?try_number=2"), 404, "has no try 2");
    assertRefused(viewer.get(base + "/extract/rendered?try_number=0"), 400, "'try_number'");
    assertRefused(viewer.get(base + "/nope/rendered"), 404, "no task 'nope'");
  }

  @Test
  void should_read_a_log_in_pieces_from_an_offset() throws IOException {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    finish(run, TaskState.SUCCESS, TaskState.FAILED);
    Path file = TaskLog.path(web.settings.logsFolder(), "etl", run.runId(), "load", 1);
    Files.createDirectories(file.getParent());
    String text = "line one\nlíne twö\n".repeat(20_000); // over 256 KiB, with 2-byte characters
    Files.writeString(file, text);
    String base = "/api/v1/dags/etl/dagRuns/" + encode(run.runId()) + "/taskInstances/load/logs/1";

    StringBuilder read = new StringBuilder();
    long offset = 0;
    int calls = 0;
    boolean complete = false;
    while (!complete) {
      JsonNode chunk = json(viewer.get(base + "?offset=" + offset));
      read.append(chunk.get("content").asText());
      offset = chunk.get("offset").asLong();
      complete = chunk.get("complete").asBoolean();
      calls++;
      assertThat(calls).isLessThan(10);
    }

    assertThat(calls).isGreaterThan(1);
    assertThat(read.toString()).isEqualTo(text);
    assertThat(offset).isEqualTo(Files.size(file));
    assertRefused(viewer.get(base.replace("/logs/1", "/logs/2")), 404, "has no try 2");
    assertRefused(viewer.get(base.replace("/logs/1", "/logs/one")), 400, "'try_number'");
    assertRefused(viewer.get(base + "?offset=-5"), 400, "'offset'");
    assertRefused(
        viewer.get(base.replace("/load/", "/..%2F..%2Fetc/")), 404, "no task '../../etc'");
  }

  @Test
  void should_read_the_log_of_a_mapped_instance_under_its_map_index() throws IOException {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    TaskInstanceRow placeholder =
        web.store.taskInstances(run.id()).stream()
            .filter(ti -> ti.taskId().equals("load"))
            .findFirst()
            .orElseThrow();
    Batch batch = new Batch().removeInstance(placeholder);
    for (int i = 0; i < 2; i++) {
      batch.addInstance(
          new TaskInstanceRow(
              run.id(),
              "load",
              TaskState.SUCCESS,
              1,
              1,
              START,
              START.plusSeconds(1),
              null,
              null,
              i,
              START));
      batch.startTry(
          new TaskTryRow(
              run.id(),
              "load",
              1,
              TaskState.SUCCESS,
              START,
              START.plusSeconds(1),
              "h",
              "s",
              null,
              i));
    }
    web.store.write(batch);
    Path file = TaskLog.path(web.settings.logsFolder(), "etl", run.runId(), "load", 1, 1);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "item one\n");
    String base = "/api/v1/dags/etl/dagRuns/" + encode(run.runId()) + "/taskInstances/load";

    JsonNode chunk = json(viewer.get(base + "/logs/1?map_index=1"));
    JsonNode other = json(viewer.get(base + "/logs/1?map_index=0"));
    JsonNode instances = json(viewer.get(base.replace("/load", "") + "?state=success"));

    assertThat(file.toString()).contains("map-1");
    assertThat(chunk.get("content").asText()).isEqualTo("item one\n");
    assertThat(chunk.get("complete").asBoolean()).isTrue();
    assertThat(other.get("content").asText()).isEmpty();
    assertThat(instances.get("task_instances").findValuesAsText("map_index"))
        .containsExactly("0", "1");
    assertRefused(viewer.get(base + "/logs/1"), 404, "mapped into 2 instance(s)");
    assertRefused(viewer.get(base + "/logs/1?map_index=2"), 404, "map_index 2");
  }

  @Test
  void should_say_a_running_try_log_is_not_complete() {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    web.store.write(
        new Batch()
            .startTry(
                new TaskTryRow(
                    run.id(), "extract", 1, TaskState.RUNNING, START, null, "h", "s", null)));
    String base =
        "/api/v1/dags/etl/dagRuns/" + encode(run.runId()) + "/taskInstances/extract/logs/1";

    JsonNode chunk = json(viewer.get(base));

    assertThat(chunk.get("content").asText()).isEmpty();
    assertThat(chunk.get("complete").asBoolean()).isFalse();
  }

  @Test
  void should_clear_a_finished_instance_back_to_none_and_dry_run_first() {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    finish(run, TaskState.SUCCESS, TaskState.FAILED);
    String body =
        "{\"dag_run_id\": \"" + run.runId() + "\", \"task_ids\": [\"load\"], \"dry_run\": true}";

    JsonNode dryRun = json(user.post("/api/v1/dags/etl/clearTaskInstances", body));

    assertThat(dryRun.get("task_instances").findValuesAsText("task_id")).containsExactly("load");
    assertThat(dryRun.get("task_instances").get(0).get("state").asText()).isEqualTo("failed");
    assertThat(state(run, "load")).isEqualTo(TaskState.FAILED);

    HttpResponse<String> cleared =
        user.post(
            "/api/v1/dags/etl/clearTaskInstances",
            "{\"dag_run_id\": \""
                + run.runId()
                + "\", \"task_ids\": [\"extract\"],"
                + " \"include_downstream\": true}");

    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    assertThat(json(cleared).get("task_instances").findValuesAsText("task_id"))
        .containsExactlyInAnyOrder("extract", "load");
    assertThat(state(run, "extract")).isEqualTo(TaskState.NONE);
    assertThat(state(run, "load")).isEqualTo(TaskState.NONE);
    assertThat(web.store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.QUEUED);
    JsonNode instance =
        json(
            viewer.get(
                "/api/v1/dags/etl/dagRuns/" + encode(run.runId()) + "/taskInstances/extract"));
    assertThat(instance.get("state").asText()).isEqualTo("none");
  }

  @Test
  void should_refuse_bad_clears_and_change_nothing() {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    finish(run, TaskState.SUCCESS, TaskState.FAILED);
    String clear = "/api/v1/dags/etl/clearTaskInstances";

    assertRefused(
        user.post(clear, "{\"dag_run_id\": \"" + run.runId() + "\", \"task_ids\": [\"lod\"]}"),
        404,
        "no task 'lod'");
    assertRefused(user.post(clear, "{\"dag_run_id\": \"nope\"}"), 404, "no run 'nope'");
    assertRefused(user.post(clear, "{}"), 400, "'dag_run_id'");
    assertRefused(user.post(clear, "[]"), 400, "JSON object");
    assertRefused(
        user.post(clear, "{\"dag_run_id\": \"" + run.runId() + "\", \"only_failed\": \"yes\"}"),
        400,
        "'only_failed'");
    assertRefused(
        user.post(clear, "{\"dag_run_id\": \"" + run.runId() + "\", \"task_id\": \"load\"}"),
        400,
        "task_id");
    assertRefused(
        user.post("/api/v1/dags/nope/clearTaskInstances", "{\"dag_run_id\": \"x\"}"),
        404,
        "'nope'");
    assertRefused(viewer.post(clear, "{}"), 403, "needs User");

    assertThat(state(run, "load")).isEqualTo(TaskState.FAILED);
    assertThat(state(run, "extract")).isEqualTo(TaskState.SUCCESS);
  }

  @Test
  void should_mark_a_task_instance_and_a_run_and_refuse_bad_marks() {
    DagRunRow run = trigger("2025-03-01T06:00:00Z");
    finish(run, TaskState.SUCCESS, TaskState.FAILED);
    String runPath = "/api/v1/dags/etl/dagRuns/" + encode(run.runId());

    assertRefused(
        user.patch(runPath + "/taskInstances/load", "{\"new_state\": \"running\"}"),
        400,
        "'new_state'");
    assertRefused(user.patch(runPath + "/taskInstances/load", "{}"), 400, "'new_state'");
    assertRefused(
        user.patch(
            runPath + "/taskInstances/load", "{\"new_state\": \"success\", \"map_index\": 3}"),
        404,
        "map_index 3");
    assertRefused(
        user.patch(runPath + "/taskInstances/nope", "{\"new_state\": \"success\"}"),
        404,
        "no task 'nope'");
    assertRefused(
        viewer.patch(runPath + "/taskInstances/load", "{\"new_state\": \"success\"}"),
        403,
        "needs User");
    assertRefused(user.patch(runPath, "{\"state\": \"running\"}"), 400, "'state'");
    assertRefused(
        user.patch("/api/v1/dags/etl/dagRuns/nope", "{\"state\": \"success\"}"),
        404,
        "no run 'nope'");
    assertThat(state(run, "load")).isEqualTo(TaskState.FAILED);

    HttpResponse<String> marked =
        user.patch(runPath + "/taskInstances/load", "{\"new_state\": \"success\"}");

    assertThat(marked.statusCode()).as(marked.body()).isEqualTo(200);
    JsonNode load = json(marked).get("task_instances").get(0);
    assertThat(load.get("task_id").asText()).isEqualTo("load");
    assertThat(load.get("state").asText()).isEqualTo("success");
    assertThat(load.get("previous_state").asText()).isEqualTo("failed");
    assertThat(state(run, "load")).isEqualTo(TaskState.SUCCESS);

    HttpResponse<String> runMarked = user.patch(runPath, "{\"state\": \"success\"}");

    assertThat(runMarked.statusCode()).as(runMarked.body()).isEqualTo(200);
    assertThat(json(runMarked).get("state").asText()).isEqualTo("success");
    assertThat(web.store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    assertThat(state(run, "report")).isEqualTo(TaskState.SUCCESS);
  }

  @Test
  void should_chart_durations_and_xcom_history() {
    DagRunRow first = trigger("2025-03-01T06:00:00Z");
    DagRunRow second = trigger("2025-03-02T06:00:00Z");
    finish(second, TaskState.SUCCESS, TaskState.SUCCESS);
    finish(first, TaskState.SUCCESS, TaskState.SUCCESS);

    JsonNode durations = json(viewer.get("/api/v1/dags/etl/tasks/load/durations?limit=5"));
    JsonNode latest = json(viewer.get("/api/v1/dags/etl/tasks/load/durations?limit=1"));
    JsonNode history = json(viewer.get("/api/v1/dags/etl/xcomHistory?task_id=load"));
    JsonNode keys = json(viewer.get("/api/v1/dags/etl/xcomKeys"));

    // Oldest run first, so a chart reads left to right.
    assertThat(durations.get("durations").findValuesAsText("dag_run_id"))
        .containsExactly(first.runId(), second.runId());
    assertThat(latest.get("durations").findValuesAsText("dag_run_id"))
        .containsExactly(second.runId());
    assertThat(durations.get("durations").get(0).get("duration_seconds").asDouble()).isEqualTo(4.0);
    assertThat(history.get("values").findValuesAsText("dag_run_id"))
        .containsExactly(first.runId(), second.runId());
    assertThat(history.get("values").get(0).get("value").get("rows").asInt()).isEqualTo(42);
    assertThat(keys.get("keys")).hasSize(1);
    assertThat(keys.get("keys").get(0).get("task_id").asText()).isEqualTo("load");
    assertThat(keys.get("keys").get(0).get("key").asText()).isEqualTo("return_value");
    assertRefused(viewer.get("/api/v1/dags/etl/tasks/nope/durations"), 404, "no task 'nope'");
    assertRefused(viewer.get("/api/v1/dags/etl/xcomHistory"), 400, "'task_id'");
    assertRefused(viewer.get("/api/v1/dags/etl/xcomHistory?task_id=load&limit=0"), 400, "'limit'");
    assertRefused(viewer.get("/api/v1/dags/nope/xcomKeys"), 404, "'nope'");
  }

  private TaskState state(DagRunRow run, String taskId) {
    List<TaskInstanceRow> instances = web.store.taskInstances(run.id());
    return instances.stream()
        .filter(ti -> ti.taskId().equals(taskId))
        .findFirst()
        .orElseThrow()
        .state();
  }

  static void assertRefused(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("\"status\":" + status).contains(detail);
  }
}
