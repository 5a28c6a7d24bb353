package dev.weir.web.api;

import dev.weir.model.DagSpec;
import dev.weir.run.Params;
import dev.weir.scheduler.ClearRequest;
import dev.weir.scheduler.ClearedInstance;
import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import dev.weir.store.DuplicateRunException;
import dev.weir.store.RunQuery;
import dev.weir.store.TaskInstanceRow;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code /api/v1/dags/{dag_id}/dagRuns}: listing, triggering and clearing runs. */
public final class RunEndpoints {
  private final WebServices services;

  public RunEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/dags/{dag_id}/dagRuns", this::list, Access.VIEWER);
    routes.post("/api/v1/dags/{dag_id}/dagRuns", this::trigger, Access.USER);
    routes.get("/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}", this::get, Access.VIEWER);
    routes.patch("/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}", this::setState, Access.USER);
    routes.post("/api/v1/dags/{dag_id}/clearTaskInstances", this::clear, Access.USER);
  }

  private void list(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    int limit = Requests.limit(ctx);
    int offset = Requests.offset(ctx);
    Set<RunState> states = Requests.runStates(ctx);
    Instant from = Requests.instantParam(ctx, "logical_date_gte");
    Instant to = Requests.instantParam(ctx, "logical_date_lte");
    Requests.knownDag(services, dagId);
    RunQuery query = new RunQuery(dagId, states, from, to, limit, offset);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dag_runs", services.store().runs(query).stream().map(RunEndpoints::json).toList());
    body.put("total_entries", services.store().countRuns(query));
    ctx.json(body);
  }

  private void get(Context ctx) {
    ctx.json(json(Requests.run(services, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"))));
  }

  /** Marks a run success or failed, or queues it again (clearing every instance). */
  private void setState(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("dag_run_id");
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "state");
    RunState state =
        Requests.state(
            "field 'state'",
            Requests.requiredString(body, "state"),
            new RunState[] {RunState.SUCCESS, RunState.FAILED, RunState.QUEUED},
            RunState::label);
    Requests.run(services, dagId, runId);
    try {
      ctx.json(json(services.requests().markRun(dagId, runId, state)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(503, e.getMessage());
    }
  }

  private void trigger(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    DagSpec dag = Requests.loadedDag(services, dagId);
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "conf", "logical_date", "dag_run_id");
    Object conf = body.get("conf");
    if (conf != null && !(conf instanceof Map<?, ?>)) {
      throw ApiException.badRequest(
          "field 'conf' must be a JSON object such as {\"limit\": 10}, got "
              + Requests.typeOf(conf));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> runConf = conf == null ? Map.of() : (Map<String, Object>) conf;
    try {
      Params.validate(dag, runConf);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("conf of DAG '" + dagId + "': " + e.getMessage());
    }
    String date = Requests.string(body, "logical_date");
    Instant logicalDate = date == null ? null : Requests.instant("field 'logical_date'", date);
    String runId = Requests.string(body, "dag_run_id");
    if (runId != null) {
      checkRunId(runId);
    }
    long versionId = DagEndpoints.saveVersion(services, dag);
    DagRunRow run;
    try {
      run =
          services.requests().trigger(dag, versionId, logicalDate, Requests.write(runConf), runId);
    } catch (DuplicateRunException e) {
      throw ApiException.conflict(
          "DAG '"
              + dagId
              + "' has a run "
              + (runId != null ? "with id '" + runId + "' or " : "")
              + "at logical date "
              + (logicalDate == null ? "now" : logicalDate.toString())
              + " already");
    }
    ctx.json(json(run));
  }

  /** A run id becomes a folder of the logs: it must not be able to leave it. */
  private static void checkRunId(String runId) {
    if (runId.isBlank()
        || runId.equals(".")
        || runId.equals("..")
        || runId.length() > 250
        || runId.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))) {
      throw ApiException.badRequest(
          "field 'dag_run_id' must be 1 to 250 characters without '/', '\\' or control"
              + " characters, and not '.' or '..'");
    }
  }

  private void clear(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(
        body,
        "dag_run_id",
        "task_ids",
        "include_upstream",
        "include_downstream",
        "only_failed",
        "dry_run");
    String runId = Requests.requiredString(body, "dag_run_id");
    List<String> taskIds = Requests.strings(body, "task_ids");
    boolean upstream = Requests.bool(body, "include_upstream", false);
    boolean downstream = Requests.bool(body, "include_downstream", false);
    boolean onlyFailed = Requests.bool(body, "only_failed", false);
    boolean dryRun = Requests.bool(body, "dry_run", false);
    DagRunRow run = Requests.run(services, dagId, runId);
    String regex = null;
    if (taskIds != null) {
      Set<String> known =
          services.store().taskInstances(run.id()).stream()
              .map(TaskInstanceRow::taskId)
              .collect(Collectors.toCollection(TreeSet::new));
      for (String taskId : taskIds) {
        if (!known.contains(taskId)) {
          throw ApiException.notFound(
              "run '" + runId + "' of DAG '" + dagId + "' has no task '" + taskId + "'");
        }
      }
      if (taskIds.isEmpty()) {
        throw ApiException.badRequest(
            "field 'task_ids' is empty; leave it out to clear every task");
      }
      regex = "^(?:" + taskIds.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")$";
    }
    ClearRequest request =
        new ClearRequest(
            dagId, List.of(runId), null, null, regex, downstream, upstream, onlyFailed);
    List<ClearedInstance> cleared;
    try {
      cleared =
          dryRun ? services.requests().previewClear(request) : services.requests().clear(request);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(503, e.getMessage());
    }
    List<Map<String, Object>> instances = new ArrayList<>();
    for (ClearedInstance instance : cleared) {
      Map<String, Object> json = new LinkedHashMap<>();
      String key = instance.taskId();
      int bracket = key.lastIndexOf('[');
      boolean mapped = bracket > 0 && key.endsWith("]");
      json.put("task_id", mapped ? key.substring(0, bracket) : key);
      json.put(
          "map_index",
          mapped ? Integer.parseInt(key.substring(bracket + 1, key.length() - 1)) : -1);
      json.put("dag_run_id", instance.runId());
      json.put("state", instance.previousState().label());
      instances.add(json);
    }
    ctx.json(Map.of("task_instances", instances));
  }

  static Map<String, Object> json(DagRunRow run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dag_id", run.dagId());
    json.put("dag_run_id", run.runId());
    json.put("run_type", run.type().label());
    json.put("state", run.state().label());
    json.put("logical_date", run.logicalDate());
    json.put("data_interval_start", run.intervalStart());
    json.put("data_interval_end", run.intervalEnd());
    json.put("queued_at", run.queuedAt());
    json.put("start_date", run.startDate());
    json.put("end_date", run.endDate());
    Object conf = Requests.parsed(run.conf());
    json.put("conf", conf == null ? Map.of() : conf);
    json.put("version_id", run.versionId());
    json.put("deadline_missed", run.missedDeadline());
    json.put("deadline_at", run.deadlineAt());
    json.put("deadline_missed_at", run.deadlineMissedAt());
    return json;
  }
}
