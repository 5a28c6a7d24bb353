package dev.weir.web.ui;

import dev.weir.executor.LogChunk;
import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import dev.weir.store.XComRow;
import dev.weir.users.Role;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Html;
import dev.weir.web.Page;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task instance: its state, tries, XComs, rendered templates and the live tail of a try's log.
 */
public final class TaskInstancePage {
  /** The most log text one poll returns; the page asks again for the rest. */
  static final int LOG_CHUNK = 256 * 1024;

  private final WebServices services;

  public TaskInstancePage(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/dags/{dag_id}/runs/{run_id}/tasks/{task_id}", this::page, Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/task-instance", Ui.data(ctx -> data(ctx)), Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/log", Ui.data(ctx -> log(ctx)), Access.VIEWER);
  }

  private void page(Context ctx) {
    DagSpec dag = Requests.loadedDag(services, ctx.pathParam("dag_id"));
    DagRunRow run = Requests.run(services, dag.id(), ctx.pathParam("run_id"));
    String taskId = ctx.pathParam("task_id");
    int mapIndex = Requests.intParam(ctx, "map_index", -1, -1, Integer.MAX_VALUE);
    TaskInstanceRow instance = instance(run, taskId, mapIndex);
    boolean canAct = Ui.may(ctx, Role.USER);
    String disabled = canAct ? "" : " disabled";
    StringBuilder body = new StringBuilder(4096);
    body.append("<section id=\"task-instance\" data-dag-id=\"")
        .append(Html.escape(dag.id()))
        .append("\" data-run-id=\"")
        .append(Html.escape(run.runId()))
        .append("\" data-task-id=\"")
        .append(Html.escape(taskId))
        .append("\" data-map-index=\"")
        .append(mapIndex)
        .append("\" data-can-act=\"")
        .append(canAct)
        .append("\"><p class=\"crumbs\"><a href=\"/dags/")
        .append(Html.escape(Ui.url(dag.id())))
        .append("/grid\">")
        .append(Html.escape(dag.id()))
        .append("</a> / ")
        .append(Html.escape(run.runId()))
        .append("</p><h1>")
        .append(Html.escape(instance.key()))
        .append(" <span id=\"ti-state\" class=\"run-state state-")
        .append(Ui.state(instance))
        .append("\" data-state=\"")
        .append(Ui.state(instance))
        .append("\">")
        .append(Ui.state(instance))
        .append("</span></h1>");
    mapSelector(dag, run, taskId, mapIndex, body);
    body.append("<div class=\"actions\">")
        .append("<button id=\"clear\" type=\"button\"")
        .append(disabled)
        .append(">Clear</button>")
        .append("<button id=\"mark-success\" type=\"button\"")
        .append(disabled)
        .append(">Mark success</button>")
        .append("<button id=\"mark-failed\" type=\"button\"")
        .append(disabled)
        .append(">Mark failed</button></div>");
    if (canAct) {
      body.append("<div id=\"clear-options\" class=\"panel\" hidden>")
          .append(
              "<label><input id=\"clear-downstream\" type=\"checkbox\" checked> Downstream</label>")
          .append("<label><input id=\"clear-upstream\" type=\"checkbox\"> Upstream</label>")
          .append("<label><input id=\"clear-only-failed\" type=\"checkbox\"> Only failed</label>")
          .append("<button id=\"clear-confirm\" type=\"button\" class=\"primary\">Clear</button>")
          .append("</div>");
    }
    body.append("<p id=\"action-error\" class=\"error\" role=\"alert\"></p>")
        .append("<p id=\"ti-error\" class=\"error\"></p>")
        .append(
            "<h2>Log</h2><div class=\"toolbar\"><label>Try <select id=\"try\"></select></label>")
        .append("<label><input id=\"log-follow\" type=\"checkbox\" checked> Follow</label></div>")
        .append("<pre id=\"log\" class=\"log\"></pre>")
        .append("<h2>Tries</h2><table id=\"tries\" class=\"list\"><thead><tr><th>Try</th>")
        .append("<th>State</th><th>Started</th><th>Ended</th><th>Duration</th><th>Host</th>")
        .append("<th>Error</th></tr></thead><tbody></tbody></table>")
        .append("<h2>XCom</h2><table id=\"xcom\" class=\"list\"><thead><tr><th>Key</th>")
        .append("<th>Map index</th><th>Value</th></tr></thead><tbody></tbody></table>")
        .append("<h2>Rendered templates</h2><table id=\"rendered\" class=\"list\"><thead><tr>")
        .append("<th>Field</th><th>Value</th></tr></thead><tbody></tbody></table></section>");
    Page.render(
        ctx,
        instance.key() + " - " + run.runId(),
        body.toString(),
        "/static/js/weir.js",
        "/static/js/task-instance.js");
  }

  /** Links to each instance of a mapped task. */
  private void mapSelector(
      DagSpec dag, DagRunRow run, String taskId, int mapIndex, StringBuilder body) {
    List<TaskInstanceRow> instances = instances(run, taskId);
    if (instances.size() <= 1 && instances.get(0).mapIndex() < 0) {
      return;
    }
    body.append("<nav class=\"map-indexes\">Instances: ");
    for (TaskInstanceRow instance : instances) {
      body.append("<a class=\"map-index run-state state-")
          .append(Ui.state(instance))
          .append(instance.mapIndex() == mapIndex ? " active" : "")
          .append("\" data-state=\"")
          .append(Ui.state(instance))
          .append("\" href=\"")
          .append(
              Html.escape(Ui.taskInstanceLink(dag.id(), run.runId(), taskId, instance.mapIndex())))
          .append("\">")
          .append(instance.mapIndex())
          .append("</a> ");
    }
    body.append("</nav>");
  }

  private List<TaskInstanceRow> instances(DagRunRow run, String taskId) {
    List<TaskInstanceRow> instances =
        DagData.byTask(services.store().taskInstances(run.id())).get(taskId);
    if (instances == null) {
      throw ApiException.notFound(
          "run '" + run.runId() + "' of DAG '" + run.dagId() + "' has no task '" + taskId + "'");
    }
    return instances;
  }

  private TaskInstanceRow instance(DagRunRow run, String taskId, int mapIndex) {
    List<TaskInstanceRow> instances = instances(run, taskId);
    for (TaskInstanceRow instance : instances) {
      if (instance.mapIndex() == mapIndex) {
        return instance;
      }
    }
    if (mapIndex < 0) {
      return instances.get(0); // a mapped task asked for without an index: its first instance
    }
    throw ApiException.notFound(
        "task '"
            + taskId
            + "' of run '"
            + run.runId()
            + "' of DAG '"
            + run.dagId()
            + "' has no map index "
            + mapIndex);
  }

  /** State, tries, XComs and rendered templates of one task instance. */
  Map<String, Object> data(Context ctx) {
    DagSpec dag = Requests.loadedDag(services, ctx.pathParam("dag_id"));
    DagRunRow run = Requests.run(services, dag.id(), Ui.requiredParam(ctx, "run_id"));
    String taskId = Ui.requiredParam(ctx, "task_id");
    int mapIndex = Requests.intParam(ctx, "map_index", -1, -1, Integer.MAX_VALUE);
    TaskInstanceRow instance = instance(run, taskId, mapIndex);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("run_id", run.runId());
    data.put("run_state", run.state().label());
    data.put("task_id", taskId);
    data.put("map_index", instance.mapIndex());
    data.put("state", Ui.state(instance));
    data.put("try_number", instance.tryNumber());
    data.put("max_tries", instance.maxTries());
    data.put("start_date", Ui.iso(instance.startDate()));
    data.put("end_date", Ui.iso(instance.endDate()));
    data.put("duration", Requests.seconds(instance.startDate(), instance.endDate()));
    data.put("next_try_at", Ui.iso(instance.nextTryAt()));
    data.put("error", instance.error());
    TaskSpec task = dag.tasks().get(taskId);
    data.put("operator", task == null ? null : task.action().kind());
    data.put("pool", task == null ? null : task.pool());
    List<Map<String, Object>> tries = new ArrayList<>();
    for (TaskTryRow attempt : services.store().tries(run.id(), taskId)) {
      if (attempt.mapIndex() == instance.mapIndex()) {
        tries.add(DagData.tryJson(attempt));
      }
    }
    data.put("tries", tries);
    List<Map<String, Object>> xcom = new ArrayList<>();
    for (XComRow row : services.store().xcoms(run.id())) {
      if (row.taskId().equals(taskId) && row.mapIndex() == instance.mapIndex()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("key", row.key());
        x.put("map_index", row.mapIndex());
        x.put("value", row.json());
        xcom.add(x);
      }
    }
    data.put("xcom", xcom);
    int renderedTry =
        Requests.intParam(ctx, "try_number", instance.tryNumber(), 0, Integer.MAX_VALUE);
    Map<String, String> rendered =
        renderedTry < 1
            ? Map.of()
            : services.store().renderedFields(run.id(), taskId, instance.mapIndex(), renderedTry);
    data.put("rendered_try_number", renderedTry);
    data.put("rendered_recorded", !rendered.isEmpty());
    data.put("rendered", rendered);
    return data;
  }

  /** The log of a try from a byte offset: what the page appends to what it has. */
  Map<String, Object> log(Context ctx) {
    DagSpec dag = Requests.loadedDag(services, ctx.pathParam("dag_id"));
    DagRunRow run = Requests.run(services, dag.id(), Ui.requiredParam(ctx, "run_id"));
    String taskId = Ui.requiredParam(ctx, "task_id");
    int mapIndex = Requests.intParam(ctx, "map_index", -1, -1, Integer.MAX_VALUE);
    int tryNumber = Requests.intParam(ctx, "try_number", 1, 1, Integer.MAX_VALUE);
    long offset = Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    instance(run, taskId, mapIndex);
    TaskTryRow attempt = null;
    for (TaskTryRow row : services.store().tries(run.id(), taskId)) {
      if (row.mapIndex() == mapIndex && row.tryNumber() == tryNumber) {
        attempt = row;
      }
    }
    Path file =
        TaskLog.path(services.logsFolder(), dag.id(), run.runId(), taskId, mapIndex, tryNumber);
    LogChunk chunk = LogChunk.read(file, offset, LOG_CHUNK);
    boolean tryEnded = attempt != null && attempt.endDate() != null;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("content", chunk.text());
    data.put("offset", chunk.next());
    data.put("complete", tryEnded && chunk.atEnd());
    data.put("exists", chunk.exists());
    return data;
  }
}
