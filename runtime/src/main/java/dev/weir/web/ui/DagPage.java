package dev.weir.web.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weir.model.DagSpec;
import dev.weir.model.ParamSpec;
import dev.weir.schedule.DataInterval;
import dev.weir.state.RunState;
import dev.weir.store.DagRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.DagVersion;
import dev.weir.users.Role;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Html;
import dev.weir.web.Page;
import dev.weir.web.Requests;
import dev.weir.web.WebServer;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DAG's page: the header with trigger and pause, and one tab of grid, graph, gantt, code,
 * details, runs or charts. Code and details are rendered here; the other tabs draw their data from
 * {@link DagData} in the browser.
 */
public final class DagPage {
  static final List<String> TABS =
      List.of("grid", "graph", "gantt", "code", "details", "runs", "charts");
  private static final int NEXT_RUNS = 5;

  private final WebServices services;

  public DagPage(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get(
        "/dags/{dag_id}",
        ctx -> ctx.redirect("/dags/" + Ui.url(ctx.pathParam("dag_id")) + "/grid"),
        Access.VIEWER);
    routes.get("/dags/{dag_id}/{tab}", this::page, Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/details", Ui.data(ctx -> details(dag(ctx))), Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/code", Ui.data(this::codeData), Access.VIEWER);
  }

  private DagSpec dag(Context ctx) {
    return Requests.loadedDag(services, ctx.pathParam("dag_id"));
  }

  private void page(Context ctx) {
    DagSpec dag = dag(ctx);
    String tab = ctx.pathParam("tab");
    if (!TABS.contains(tab)) {
      throw ApiException.notFound("DAG '" + dag.id() + "' has no tab '" + tab + "'");
    }
    StringBuilder body = new StringBuilder(4096);
    header(ctx, dag, tab, body);
    List<String> scripts = new ArrayList<>(List.of("/static/js/weir.js", "/static/js/dag.js"));
    switch (tab) {
      case "grid" -> {
        body.append("<div class=\"grid-wrap\"><div id=\"grid\" class=\"grid\"></div></div>");
        scripts.add("/static/js/grid.js");
      }
      case "graph" -> {
        body.append("<div class=\"toolbar\"><label>Run <select id=\"graph-run\"></select></label>")
            .append("<span class=\"hint\">Click a group to fold or unfold it.</span></div>")
            .append(
                "<svg id=\"graph\" class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\"></svg>");
        scripts.add("/webjars/dagre/0.8.4/dist/dagre.min.js");
        scripts.add("/static/js/graph.js");
      }
      case "gantt" -> {
        body.append("<div class=\"toolbar\"><label>Run <select id=\"gantt-run\"></select></label>")
            .append("</div><div id=\"gantt\" class=\"gantt\"></div>");
        scripts.add("/static/js/gantt.js");
      }
      case "code" -> code(ctx, dag, body);
      case "details" -> details(dag, body);
      case "runs" -> {
        body.append("<div class=\"toolbar\"><label>State <select id=\"run-state-filter\">")
            .append("<option value=\"\">any</option>");
        for (RunState state : RunState.values()) {
          body.append("<option value=\"")
              .append(state.label())
              .append("\">")
              .append(state.label())
              .append("</option>");
        }
        body.append("</select></label>")
            .append("<label>From <input id=\"run-date-from\" type=\"date\"></label>")
            .append("<label>To <input id=\"run-date-to\" type=\"date\"></label></div>")
            .append("<table id=\"runs\" class=\"list\"><thead><tr><th>State</th><th>Run id</th>")
            .append("<th>Type</th><th>Logical date</th><th>Started</th><th>Ended</th>")
            .append("<th>Duration</th><th>Conf</th><th></th></tr></thead><tbody></tbody></table>")
            .append("<p id=\"action-error\" class=\"error\" role=\"alert\"></p>");
        scripts.add("/static/js/runs.js");
      }
      case "charts" -> {
        body.append("<section class=\"chart\"><h2>Task duration per run</h2>")
            .append("<label>Task <select id=\"chart-task\"></select></label>")
            .append(
                "<svg id=\"duration-chart\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"")
            .append(" width=\"900\" height=\"260\"></svg></section>")
            .append("<section class=\"chart\"><h2>XCom value per run</h2>")
            .append("<label>Value <select id=\"chart-xcom\"></select></label>")
            .append("<svg id=\"xcom-chart\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"")
            .append(" width=\"900\" height=\"260\"></svg></section>");
        scripts.add("/static/js/charts.js");
      }
      default -> throw new IllegalStateException(tab);
    }
    body.append("</section>");
    Page.render(ctx, dag.id() + " - " + tab, body.toString(), scripts.toArray(String[]::new));
  }

  private void header(Context ctx, DagSpec dag, String tab, StringBuilder body) {
    boolean canAct = Ui.may(ctx, Role.USER);
    boolean paused =
        services.store().dag(dag.id()).map(DagRow::paused).orElse(dag.pausedAtCreation());
    body.append("<section id=\"dag\" data-dag-id=\"")
        .append(Html.escape(dag.id()))
        .append("\" data-tab=\"")
        .append(tab)
        .append("\" data-can-act=\"")
        .append(canAct)
        .append("\"><div class=\"dag-header\"><h1><span class=\"dag-id\">")
        .append(Html.escape(dag.id()))
        .append("</span></h1>");
    if (dag.description() != null) {
      body.append("<p class=\"description\">")
          .append(Html.escape(dag.description()))
          .append("</p>");
    }
    body.append("<div class=\"actions\"><button id=\"pause-toggle\" type=\"button\" data-paused=\"")
        .append(paused)
        .append("\"")
        .append(canAct ? "" : " disabled")
        .append(">")
        .append(paused ? "Unpause" : "Pause")
        .append("</button>");
    if (canAct) {
      body.append("<button id=\"trigger\" type=\"button\" class=\"primary\">Trigger</button>");
    }
    body.append("</div></div>");
    if (canAct) {
      body.append("<form id=\"trigger-form\" class=\"panel\" hidden>")
          .append(
              "<label>Conf (JSON)<textarea id=\"trigger-conf\" rows=\"8\" spellcheck=\"false\">")
          .append(Html.escape(defaultConf(dag)))
          .append("</textarea></label>")
          .append("<label>Logical date (optional, ISO-8601)")
          .append("<input id=\"trigger-logical-date\" type=\"text\"")
          .append(" placeholder=\"2025-01-01T00:00:00Z\"></label>")
          .append(
              "<button id=\"trigger-submit\" type=\"submit\" class=\"primary\">Trigger run</button>")
          .append(" <button id=\"trigger-cancel\" type=\"button\">Cancel</button>")
          .append("<p id=\"trigger-error\" class=\"error\" role=\"alert\"></p></form>");
    }
    body.append("<nav class=\"tabs\">");
    for (String name : TABS) {
      body.append("<a class=\"tab")
          .append(name.equals(tab) ? " active" : "")
          .append("\" href=\"/dags/")
          .append(Html.escape(Ui.url(dag.id())))
          .append("/")
          .append(name)
          .append("\">")
          .append(Character.toUpperCase(name.charAt(0)))
          .append(name.substring(1))
          .append("</a>");
    }
    body.append("</nav><p id=\"page-error\" class=\"error\" role=\"alert\"></p>");
  }

  /** The params' defaults as a JSON object: what a run gets when its conf is empty. */
  static String defaultConf(DagSpec dag) {
    Map<String, Object> conf = new LinkedHashMap<>();
    for (ParamSpec param : dag.params().values()) {
      if (param.defaultValue() != null) {
        conf.put(param.name(), param.defaultValue());
      }
    }
    try {
      return WebServer.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(conf);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("params of DAG " + dag.id() + " are not JSON", e);
    }
  }

  private void code(Context ctx, DagSpec dag, StringBuilder body) {
    String runId = ctx.queryParam("run_id");
    Code code = code(dag, runId);
    body.append("<form class=\"toolbar\" method=\"get\"><label>Version of run ")
        .append("<select name=\"run_id\" id=\"code-run\"><option value=\"\">current</option>");
    for (DagRunRow run : services.store().runs(dag.id(), null, 50)) {
      body.append("<option value=\"")
          .append(Html.escape(run.runId()))
          .append("\"")
          .append(run.runId().equals(runId) ? " selected" : "")
          .append(">")
          .append(Html.escape(run.runId()))
          .append("</option>");
    }
    body.append("</select></label> <button type=\"submit\">Show</button></form>")
        .append("<p class=\"muted\">")
        .append(Html.escape(code.file()))
        .append(code.versionId() == null ? "" : " (version " + code.versionId() + ")")
        .append("</p><pre id=\"code\" class=\"code\">")
        .append(Html.escape(code.source()))
        .append("</pre>");
  }

  private Map<String, Object> codeData(Context ctx) {
    DagSpec dag = dag(ctx);
    Code code = code(dag, ctx.queryParam("run_id"));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("file", code.file());
    data.put("version_id", code.versionId());
    data.put("source", code.source());
    return data;
  }

  record Code(String file, Long versionId, String source) {}

  /** The script of the version a run used, or the current one when no run is given. */
  Code code(DagSpec dag, String runId) {
    if (runId != null && !runId.isEmpty()) {
      DagRunRow run = Requests.run(services, dag.id(), runId);
      DagVersion version =
          services
              .store()
              .version(run.versionId())
              .orElseThrow(
                  () ->
                      ApiException.notFound(
                          "version "
                              + run.versionId()
                              + " of DAG '"
                              + dag.id()
                              + "' (used by run '"
                              + runId
                              + "') is not in the store"));
      return new Code(version.file(), version.id(), version.source());
    }
    Optional<DagVersion> current =
        services.store().dag(dag.id()).map(DagRow::versionId).flatMap(services.store()::version);
    if (current.isPresent() && current.get().sha256().equals(dag.source().sha256())) {
      return new Code(current.get().file(), current.get().id(), current.get().source());
    }
    String file = dag.source().file();
    return new Code(file, null, services.dags().source(file).orElse(""));
  }

  private void details(DagSpec dag, StringBuilder body) {
    Map<String, Object> details = details(dag);
    body.append("<div id=\"details\" class=\"details\"><table class=\"kv\">");
    row(body, "Schedule", details.get("schedule"));
    row(body, "Timezone", details.get("timezone"));
    row(body, "File", details.get("file"));
    row(body, "Start date", details.get("start_date"));
    row(body, "End date", details.get("end_date"));
    row(body, "Catchup", details.get("catchup"));
    row(body, "Max active runs", details.get("max_active_runs"));
    row(body, "Max active tasks", details.get("max_active_tasks"));
    row(body, "Tasks", details.get("task_count"));
    body.append("<tr><th>Tags</th><td class=\"tags\">");
    for (String tag : dag.tags()) {
      body.append("<a class=\"tag\" href=\"/dags?tags=")
          .append(Html.escape(Ui.url(tag)))
          .append("\">")
          .append(Html.escape(tag))
          .append("</a> ");
    }
    body.append("</td></tr><tr><th>Next runs</th><td><ul id=\"next-runs\">");
    @SuppressWarnings("unchecked")
    List<String> next = (List<String>) details.get("next_runs");
    for (String date : next) {
      body.append("<li>").append(Html.escape(date)).append("</li>");
    }
    if (next.isEmpty()) {
      body.append("<li class=\"muted\">none</li>");
    }
    body.append("</ul></td></tr></table><h2>Params</h2>")
        .append("<table id=\"params\" class=\"list\"><thead><tr><th>Name</th><th>Default</th>")
        .append("<th>Type</th><th>Allowed</th><th>Description</th></tr></thead><tbody>");
    for (ParamSpec param : dag.params().values()) {
      body.append("<tr><td>")
          .append(Html.escape(param.name()))
          .append("</td><td><code>")
          .append(Html.escape(json(param.defaultValue())))
          .append("</code></td><td>")
          .append(Html.escape(param.type()))
          .append("</td><td>")
          .append(Html.escape(param.allowed().isEmpty() ? "" : json(param.allowed())))
          .append("</td><td>")
          .append(Html.escape(param.description()))
          .append("</td></tr>");
    }
    body.append("</tbody></table><h2>Documentation</h2><div id=\"doc\" class=\"doc\">")
        .append(details.get("doc_html"))
        .append("</div></div>");
  }

  private static void row(StringBuilder body, String name, Object value) {
    body.append("<tr><th>")
        .append(name)
        .append("</th><td>")
        .append(Html.escape(value))
        .append("</td></tr>");
  }

  private static String json(Object value) {
    try {
      return WebServer.JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** What the details tab shows, as data. */
  Map<String, Object> details(DagSpec dag) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("description", dag.description());
    data.put("file", dag.source().file());
    data.put("schedule", dag.schedule().describe());
    data.put("timezone", dag.timezone().getId());
    data.put("start_date", Ui.iso(dag.startDate()));
    data.put("end_date", Ui.iso(dag.endDate()));
    data.put("catchup", dag.catchup());
    data.put("max_active_runs", dag.maxActiveRuns());
    data.put("max_active_tasks", dag.maxActiveTasks());
    data.put("task_count", dag.tasks().size());
    data.put("tags", dag.tags());
    Optional<DagRow> row = services.store().dag(dag.id());
    data.put("is_paused", row.map(DagRow::paused).orElse(dag.pausedAtCreation()));
    data.put("next_run_at", row.map(DagRow::nextRunAt).map(Ui::iso).orElse(null));
    List<String> next = new ArrayList<>();
    if (dag.schedule().timeBased() && dag.startDate() != null) {
      for (DataInterval interval :
          dag.timetable().upcoming(services.clock().instant(), NEXT_RUNS)) {
        next.add(Ui.iso(interval.start()));
      }
    }
    data.put("next_runs", next);
    List<Map<String, Object>> params = new ArrayList<>();
    for (ParamSpec param : dag.params().values()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", param.name());
      p.put("default", param.defaultValue());
      p.put("type", param.type());
      p.put("allowed", param.allowed());
      p.put("description", param.description());
      params.add(p);
    }
    data.put("params", params);
    data.put("default_conf", defaultConf(dag));
    data.put("doc_md", dag.doc());
    data.put("doc_html", Markdown.toHtml(dag.doc()));
    return data;
  }
}
