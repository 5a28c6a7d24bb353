package dev.weir.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.scheduler.RunRequests;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.PoolRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import dev.weir.users.Role;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's pages and their {@code /ui/data} JSON over real HTTP, for a DAG with groups, a mapped
 * task, params and runs written through the store, where every user-provided text carries a script
 * tag.
 */
class UiPagesTest {
  static final String XSS = "<script>alert(1)</script>";
  static final String SCRIPT =
      """
      dag('etl') {
          description '<script>alert(1)</script> daily load'
          doc '''
          # Loading

          Loads **orders**. <script>alert(1)</script>

          [bad](javascript:alert(1))
          '''
          schedule '@daily'
          startDate '2025-01-01'
          tags 'finance', '<script>alert(1)</script>'
          params {
              region '<script>alert(1)</script>'
              limit 100, type: 'integer'
          }
          def start = empty('start')
          def prep = group('prep') {
              def clean = empty('clean')
              def checks = group('checks') { empty('schema') }
              clean >> checks
          }
          def train = task('train', expand: [1, 2]) { ctx -> ctx.item }
          start >> prep >> train
      }
      """;
  static final Instant DAY = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir Path temp;
  WebFixture web;
  DagRunRow run;

  @BeforeEach
  void start() throws Exception {
    web =
        new WebFixture(temp)
            .dag("etl.groovy", SCRIPT)
            .dag("broken.groovy", "dag('x') {\n  nope(\n}\n")
            .start();
    DagSpec dag = web.bag().dag("etl").orElseThrow();
    RunRequests requests = new RunRequests(web.store, web.clock);
    long version = requests.saveDag(dag, web.bag().source(dag.source().file()).orElseThrow(), null);
    run = requests.trigger(dag, version, DAY, "{\"region\": \"" + XSS.replace("/", "\\/") + "\"}");
    Instant t0 = DAY.plusSeconds(60);
    Instant t1 = t0.plusSeconds(5);
    Batch batch = new Batch().run(run.withState(RunState.RUNNING, t0, null));
    long pk = run.id();
    batch.instance(new TaskInstanceRow(pk, "start", TaskState.SUCCESS, 1, 1, t0, t1, null, null));
    TaskTryRow startTry =
        new TaskTryRow(pk, "start", 1, TaskState.SUCCESS, t0, t1, "host", "s1", null);
    batch.startTry(startTry);
    batch.renderedFields(startTry, Map.of("command", "echo " + XSS));
    batch.xcoms(pk, "start", -1, Map.of("accuracy", "0.93", "note", "\"" + XSS + "\""), t1);
    batch.instance(
        new TaskInstanceRow(
            pk, "prep.clean", TaskState.FAILED, 1, 1, t1, t1.plusSeconds(2), null, XSS));
    batch.startTry(
        new TaskTryRow(
            pk, "prep.clean", 1, TaskState.FAILED, t1, t1.plusSeconds(2), "host", "s1", XSS));
    for (TaskInstanceRow instance : web.store.taskInstances(pk)) {
      if (instance.taskId().equals("train")) {
        batch.removeInstance(instance);
      }
    }
    for (int i = 0; i < 2; i++) {
      batch.addInstance(
          new TaskInstanceRow(
              pk,
              "train",
              i == 0 ? TaskState.SUCCESS : TaskState.RUNNING,
              1,
              1,
              t1,
              null,
              null,
              null,
              i,
              t1));
    }
    web.store.write(batch);
    Path log = TaskLog.path(web.settings.logsFolder(), "etl", run.runId(), "start", -1, 1);
    Files.createDirectories(log.getParent());
    Files.writeString(log, "line one\n" + XSS + "\nlast é\n");
    web.store.savePool(new PoolRow("<b>pool</b>", 3, XSS));
    web.secrets.setVariable("api_password", "hunter2", XSS);
    web.secrets.setVariable("region", "eu", "plain");
  }

  @AfterEach
  void stop() {
    web.close();
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  String tiPath() {
    return "/dags/etl/runs/" + enc(run.runId()) + "/tasks/start";
  }

  List<String> pages() {
    List<String> pages =
        new ArrayList<>(
            List.of(
                "/dags",
                "/datasets",
                "/connections",
                "/variables",
                "/pools",
                tiPath(),
                "/dags/etl/runs/" + enc(run.runId()) + "/tasks/train?map_index=1",
                "/dags/etl/code?run_id=" + enc(run.runId())));
    for (String tab : List.of("grid", "graph", "gantt", "code", "details", "runs", "charts")) {
      pages.add("/dags/etl/" + tab);
    }
    return pages;
  }

  List<String> dataEndpoints() {
    String q = "run_id=" + enc(run.runId());
    return List.of(
        "/ui/data/dags",
        "/ui/data/dags/etl/grid",
        "/ui/data/dags/etl/graph?" + q,
        "/ui/data/dags/etl/gantt?" + q,
        "/ui/data/dags/etl/runs",
        "/ui/data/dags/etl/details",
        "/ui/data/dags/etl/code?" + q,
        "/ui/data/dags/etl/charts",
        "/ui/data/dags/etl/charts/durations?task_id=start",
        "/ui/data/dags/etl/charts/xcom?task_id=start&key=note",
        "/ui/data/dags/etl/task-instance?" + q + "&task_id=start",
        "/ui/data/dags/etl/task-instance?" + q + "&task_id=prep.clean",
        "/ui/data/dags/etl/log?" + q + "&task_id=start&try_number=1",
        "/ui/data/datasets",
        "/ui/data/connections",
        "/ui/data/variables",
        "/ui/data/pools");
  }

  JsonNode json(WebClient client, String path) throws Exception {
    HttpResponse<String> response = client.get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    return WebServer.JSON.readTree(response.body());
  }

  @Test
  void should_answer_every_page_for_a_viewer_with_nav_user_and_csrf_token() {
    WebClient viewer = web.loggedIn(Role.VIEWER);
    for (String page : pages()) {
      HttpResponse<String> response = viewer.get(page);
      assertThat(response.statusCode()).as(page + ": " + response.body()).isEqualTo(200);
      assertThat(response.body())
          .as(page)
          .contains("<nav>")
          .contains("<span class=\"user\">viewer (Viewer)</span>")
          .contains("<meta name=\"csrf-token\"");
    }
  }

  @Test
  void should_serve_every_script_the_pages_load_from_this_server() {
    WebClient viewer = web.loggedIn(Role.VIEWER);
    java.util.Set<String> scripts = new java.util.TreeSet<>();
    for (String page : pages()) {
      String body = viewer.get(page).body();
      assertThat(body).as(page).doesNotContain("<script>").doesNotContain(" onclick=");
      Matcher script = Pattern.compile("<script src=\"([^\"]+)\"></script>").matcher(body);
      while (script.find()) {
        scripts.add(script.group(1));
      }
    }
    assertThat(scripts)
        .contains(
            "/static/js/weir.js", "/static/js/grid.js", "/webjars/dagre/0.8.4/dist/dagre.min.js");
    for (String script : scripts) {
      HttpResponse<String> response = web.anonymous().get(script);
      assertThat(response.statusCode()).as(script).isEqualTo(200);
      assertThat(response.body()).as(script).isNotBlank();
    }
  }

  @Test
  void should_lay_out_the_dom_the_scripts_and_browser_tests_rely_on() {
    WebClient user = web.loggedIn(Role.USER);
    assertThat(user.get("/dags").body())
        .contains("<table id=\"dags\"")
        .contains("id=\"dag-search\"")
        .contains("id=\"import-errors\"")
        .contains("/static/js/dags.js");
    String grid = user.get("/dags/etl/grid").body();
    assertThat(grid)
        .contains("id=\"grid\"")
        .contains("<button id=\"trigger\"")
        .contains("<form id=\"trigger-form\"")
        .contains("id=\"trigger-logical-date\"")
        .contains("<button id=\"trigger-submit\"")
        .contains("id=\"trigger-error\"")
        .contains(
            "<button id=\"pause-toggle\" type=\"button\" data-paused=\"true\">Unpause</button>");
    for (String tab : List.of("grid", "graph", "gantt", "code", "details", "runs", "charts")) {
      assertThat(grid)
          .contains(
              "<a class=\"tab"
                  + (tab.equals("grid") ? " active" : "")
                  + "\" href=\"/dags/etl/"
                  + tab
                  + "\">");
    }
    // The conf editor starts from the params' defaults, as JSON inside an escaped textarea.
    assertThat(grid)
        .contains("&quot;region&quot; : &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;")
        .contains("&quot;limit&quot; : 100");
    assertThat(user.get("/dags/etl/graph").body())
        .contains("<svg id=\"graph\"")
        .contains("<select id=\"graph-run\">")
        .contains("/webjars/dagre/0.8.4/dist/dagre.min.js");
    assertThat(user.get("/dags/etl/gantt").body())
        .contains("id=\"gantt\"")
        .contains("<select id=\"gantt-run\">");
    assertThat(user.get("/dags/etl/runs").body())
        .contains("<table id=\"runs\"")
        .contains("<select id=\"run-state-filter\">");
    assertThat(user.get("/dags/etl/charts").body())
        .contains("<svg id=\"duration-chart\"")
        .contains("<select id=\"chart-task\">")
        .contains("<svg id=\"xcom-chart\"")
        .contains("<select id=\"chart-xcom\">");
    String ti = user.get(tiPath()).body();
    assertThat(ti)
        .contains("id=\"ti-state\" class=\"run-state state-success\" data-state=\"success\"")
        .contains("<select id=\"try\">")
        .contains("<pre id=\"log\"")
        .contains("<table id=\"tries\"")
        .contains("<table id=\"xcom\"")
        .contains("<table id=\"rendered\"")
        .contains("<button id=\"clear\" type=\"button\">")
        .contains("<div id=\"clear-options\"")
        .contains("id=\"clear-downstream\"")
        .contains("id=\"clear-upstream\"")
        .contains("id=\"clear-only-failed\"")
        .contains("<button id=\"clear-confirm\"")
        .contains("<button id=\"mark-success\" type=\"button\">")
        .contains("<button id=\"mark-failed\" type=\"button\">")
        .contains("id=\"action-error\"");
    assertThat(user.get("/datasets").body()).contains("<table id=\"datasets\"");
    assertThat(user.get("/connections").body()).contains("<table id=\"connections\"");
    assertThat(user.get("/variables").body()).contains("<table id=\"variables\"");
    assertThat(user.get("/pools").body()).contains("<table id=\"pools\"");
  }

  @Test
  void should_show_the_code_of_the_version_a_run_used() {
    WebClient viewer = web.loggedIn(Role.VIEWER);
    web.dag("etl.groovy", SCRIPT.replace("daily load", "changed load"));
    web.bag().refresh();

    String current = viewer.get("/dags/etl/code").body();
    String ofRun = viewer.get("/dags/etl/code?run_id=" + enc(run.runId())).body();

    assertThat(code(current)).contains("changed load");
    assertThat(code(ofRun)).contains("daily load").doesNotContain("changed load");
    assertThat(viewer.get("/dags/etl/code?run_id=nope").statusCode()).isEqualTo(404);
  }

  static String code(String page) {
    Matcher code =
        Pattern.compile("<pre id=\"code\" class=\"code\">(.*?)</pre>", Pattern.DOTALL)
            .matcher(page);
    assertThat(code.find()).as(page).isTrue();
    return code.group(1);
  }

  @Test
  void should_render_the_doc_from_markdown_with_raw_html_escaped_and_list_the_details() {
    String details = web.loggedIn(Role.VIEWER).get("/dags/etl/details").body();

    assertThat(details)
        .contains("<div id=\"details\"")
        .contains("<div id=\"doc\" class=\"doc\"><h1>Loading</h1>");
    assertThat(details)
        .contains("Loads <strong>orders</strong>. &lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(details).doesNotContain("javascript:alert");
    assertThat(details).contains("@daily").contains("UTC").contains("<table id=\"params\"");
    assertThat(details).contains("<a class=\"tag\" href=\"/dags?tags=finance\">finance</a>");
    Matcher next = Pattern.compile("<ul id=\"next-runs\">(.*?)</ul>").matcher(details);
    assertThat(next.find()).isTrue();
    assertThat(next.group(1)).contains("<li>20");
  }

  @Test
  void should_escape_script_tags_in_every_page_and_data_endpoint() {
    WebClient admin = web.loggedIn(Role.ADMIN);
    List<String> paths = new ArrayList<>(pages());
    paths.addAll(dataEndpoints());
    for (String path : paths) {
      HttpResponse<String> response = admin.get(path);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
      assertThat(response.body())
          .as(path)
          .doesNotContain("<script>alert")
          .doesNotContain("<b>pool");
    }
  }

  @Test
  void should_give_viewers_no_enabled_action_controls() {
    WebClient viewer = web.loggedIn(Role.VIEWER);
    for (String page : pages()) {
      String body = viewer.get(page).body();
      assertThat(body)
          .as(page)
          .doesNotContain("id=\"trigger\"")
          .doesNotContain("id=\"trigger-form\"")
          .doesNotContain("id=\"clear-options\"")
          .doesNotContain("id=\"edit-form\"")
          .doesNotContain("id=\"create\"");
      Matcher buttons =
          Pattern.compile("<button id=\"(pause-toggle|clear|mark-success|mark-failed)\"[^>]*>")
              .matcher(body);
      while (buttons.find()) {
        assertThat(buttons.group()).as(page).contains(" disabled");
      }
    }
    assertThat(viewer.get(tiPath()).body())
        .contains("<button id=\"mark-success\" type=\"button\" disabled>");
    assertThat(viewer.get("/dags/etl/grid").body())
        .contains("data-can-act=\"false\"")
        .contains("id=\"pause-toggle\"");
    assertThat(viewer.get("/dags").body()).contains("data-can-pause=\"false\"");
    assertThat(web.loggedIn(Role.USER).get("/variables").body())
        .contains("data-can-edit=\"false\"")
        .doesNotContain("id=\"edit-form\"");
    assertThat(web.loggedIn(Role.OP).get("/variables").body())
        .contains("data-can-edit=\"true\"")
        .contains("id=\"edit-form\"");
  }

  @Test
  void should_list_dags_with_recent_runs_tags_and_import_errors() throws Exception {
    JsonNode data = json(web.loggedIn(Role.VIEWER), "/ui/data/dags");

    JsonNode etl = data.get("dags").get(0);
    assertThat(etl.get("dag_id").asText()).isEqualTo("etl");
    assertThat(etl.get("is_paused").asBoolean()).isTrue();
    assertThat(etl.get("schedule").asText()).isEqualTo("@daily");
    assertThat(etl.get("tags").get(0).asText()).isEqualTo("finance");
    assertThat(etl.get("recent_runs").get(0).get("run_id").asText()).isEqualTo(run.runId());
    assertThat(etl.get("recent_runs").get(0).get("state").asText()).isEqualTo("running");
    JsonNode error = data.get("import_errors").get(0);
    assertThat(error.get("filename").asText()).endsWith("broken.groovy");
    assertThat(error.get("line").asInt()).isPositive();
    assertThat(error.get("message").asText()).isNotBlank();
  }

  @Test
  void should_give_the_grid_runs_by_tasks_with_groups_and_a_mapped_summary() throws Exception {
    JsonNode grid = json(web.loggedIn(Role.VIEWER), "/ui/data/dags/etl/grid");

    assertThat(grid.get("unfinished").asBoolean()).isTrue();
    assertThat(grid.get("runs").get(0).get("run_id").asText()).isEqualTo(run.runId());
    List<String> rows = new ArrayList<>();
    grid.get("rows")
        .forEach(
            row ->
                rows.add(
                    row.get("kind").asText()
                        + ":"
                        + row.get("id").asText()
                        + ":"
                        + row.get("depth").asInt()));
    assertThat(rows)
        .containsExactly(
            "task:start:0",
            "group:prep:0",
            "task:prep.clean:1",
            "group:prep.checks:1",
            "task:prep.checks.schema:2",
            "task:train:0");
    Map<String, JsonNode> cells = new java.util.HashMap<>();
    grid.get("cells")
        .forEach(
            cell ->
                cells.put(
                    cell.has("task_id")
                        ? cell.get("task_id").asText()
                        : "group " + cell.get("group_id").asText(),
                    cell));
    assertThat(cells.get("start").get("state").asText()).isEqualTo("success");
    assertThat(cells.get("prep.clean").get("state").asText()).isEqualTo("failed");
    assertThat(cells.get("prep.checks.schema").get("state").asText()).isEqualTo("none");
    assertThat(cells.get("group prep").get("state").asText()).isEqualTo("failed");
    assertThat(cells.get("group prep.checks").get("state").asText()).isEqualTo("none");
    JsonNode train = cells.get("train");
    assertThat(train.get("mapped").asBoolean()).isTrue();
    assertThat(train.get("map_count").asInt()).isEqualTo(2);
    assertThat(train.get("state").asText()).isEqualTo("running");
    assertThat(train.get("states").get("success").asInt()).isEqualTo(1);
  }

  @Test
  void should_give_the_graph_gantt_runs_and_task_instance_of_a_run() throws Exception {
    WebClient viewer = web.loggedIn(Role.VIEWER);
    String q = "run_id=" + enc(run.runId());

    JsonNode graph = json(viewer, "/ui/data/dags/etl/graph?" + q);
    assertThat(graph.get("tasks")).hasSize(4);
    assertThat(graph.get("edges").toString())
        .contains("{\"from\":\"start\",\"to\":\"prep.clean\"}")
        .contains("{\"from\":\"prep.checks.schema\",\"to\":\"train\"}");
    assertThat(graph.get("groups").toString())
        .contains("{\"group_id\":\"prep.checks\",\"parent\":\"prep\",\"label\":\"checks\"}");
    assertThat(graph.get("tasks").get(0).get("state").asText()).isEqualTo("success");

    JsonNode gantt = json(viewer, "/ui/data/dags/etl/gantt?" + q);
    assertThat(gantt.get("tries")).hasSize(2);
    assertThat(gantt.get("tries").get(0).get("task_id").asText()).isEqualTo("start");
    assertThat(gantt.get("tries").get(0).get("duration").asDouble()).isEqualTo(5.0);

    JsonNode running = json(viewer, "/ui/data/dags/etl/runs?state=running");
    assertThat(running.get("runs")).hasSize(1);
    assertThat(running.get("total_entries").asInt()).isEqualTo(1);
    assertThat(running.get("runs").get(0).get("conf").asText()).contains("<script>alert(1)");
    assertThat(json(viewer, "/ui/data/dags/etl/runs?state=failed").get("runs")).isEmpty();
    assertThat(json(viewer, "/ui/data/dags/etl/runs?from=2025-01-02").get("runs")).isEmpty();
    assertThat(json(viewer, "/ui/data/dags/etl/runs?from=2025-01-01&to=2025-01-01").get("runs"))
        .hasSize(1);
    HttpResponse<String> bad = viewer.get("/ui/data/dags/etl/runs?from=yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(WebServer.JSON.readTree(bad.body()).get("detail").asText())
        .isEqualTo("query parameter 'from' must be a date like 2025-01-31, got 'yesterday'");

    JsonNode ti = json(viewer, "/ui/data/dags/etl/task-instance?" + q + "&task_id=start");
    assertThat(ti.get("state").asText()).isEqualTo("success");
    assertThat(ti.get("tries").get(0).get("try_number").asInt()).isEqualTo(1);
    assertThat(ti.get("xcom").toString()).contains("accuracy").contains("0.93");
    assertThat(ti.get("rendered_recorded").asBoolean()).isTrue();
    assertThat(ti.get("rendered").get("command").asText()).isEqualTo("echo " + XSS);
    JsonNode clean = json(viewer, "/ui/data/dags/etl/task-instance?" + q + "&task_id=prep.clean");
    assertThat(clean.get("rendered_recorded").asBoolean()).isFalse();
    assertThat(clean.get("error").asText()).isEqualTo(XSS);
    JsonNode mapped =
        json(viewer, "/ui/data/dags/etl/task-instance?" + q + "&task_id=train&map_index=1");
    assertThat(mapped.get("state").asText()).isEqualTo("running");
    assertThat(viewer.get("/ui/data/dags/etl/task-instance?" + q + "&task_id=nope").statusCode())
        .isEqualTo(404);
  }

  @Test
  void should_tail_a_log_from_an_offset() throws Exception {
    WebClient viewer = web.loggedIn(Role.VIEWER);
    String path =
        "/ui/data/dags/etl/log?run_id=" + enc(run.runId()) + "&task_id=start&try_number=1";

    JsonNode first = json(viewer, path);
    assertThat(first.get("content").asText()).isEqualTo("line one\n" + XSS + "\nlast é\n");
    assertThat(first.get("complete").asBoolean()).isTrue();
    long offset = first.get("offset").asLong();
    Path log = TaskLog.path(web.settings.logsFolder(), "etl", run.runId(), "start", -1, 1);
    Files.writeString(log, "more\n", java.nio.file.StandardOpenOption.APPEND);
    JsonNode next = json(viewer, path + "&offset=" + offset);
    assertThat(next.get("content").asText()).isEqualTo("more\n");
    assertThat(next.get("offset").asLong()).isEqualTo(Files.size(log));
    JsonNode none =
        json(
            viewer,
            "/ui/data/dags/etl/log?run_id="
                + enc(run.runId())
                + "&task_id=train&map_index=1&try_number=1");
    assertThat(none.get("content").asText()).isEmpty();
    assertThat(none.get("complete").asBoolean()).isFalse();
  }

  @Test
  void should_chart_durations_and_numeric_xcom_values_per_run() throws Exception {
    WebClient viewer = web.loggedIn(Role.VIEWER);

    JsonNode choices = json(viewer, "/ui/data/dags/etl/charts");
    assertThat(choices.get("tasks").toString()).contains("\"start\"").contains("\"train\"");
    assertThat(choices.get("xcom_keys").toString())
        .isEqualTo("[{\"task_id\":\"start\",\"key\":\"accuracy\"}]");
    JsonNode durations = json(viewer, "/ui/data/dags/etl/charts/durations?task_id=start");
    assertThat(durations.get("durations").get(0).get("duration_seconds").asDouble()).isEqualTo(5.0);
    assertThat(durations.get("durations").get(0).get("dag_run_id").asText()).isEqualTo(run.runId());
    JsonNode accuracy = json(viewer, "/ui/data/dags/etl/charts/xcom?task_id=start&key=accuracy");
    assertThat(accuracy.get("values").get(0).get("value").asDouble()).isEqualTo(0.93);
  }

  @Test
  void should_never_send_secrets_to_the_browser() throws Exception {
    WebClient admin = web.loggedIn(Role.ADMIN);
    JsonNode variables = json(admin, "/ui/data/variables");
    assertThat(variables.toString())
        .doesNotContain("hunter2")
        .contains("***")
        .contains("\"value\":\"eu\"");
    assertThat(admin.get("/variables").body()).doesNotContain("hunter2");
  }
}
