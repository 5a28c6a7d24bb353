package dev.weir.web.api;

import dev.weir.store.DagRunRow;
import dev.weir.store.TaskTryRow;
import dev.weir.store.XComRow;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the charts draw: a task's durations over runs and a pushed value's history. */
public final class ChartEndpoints {
  /** Runs a chart covers when the request gives no {@code limit}. */
  static final int DEFAULT_RUNS = 30;

  private final WebServices services;

  public ChartEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/dags/{dag_id}/tasks/{task_id}/durations", this::durations, Access.VIEWER);
    routes.get("/api/v1/dags/{dag_id}/xcomHistory", this::xcomHistory, Access.VIEWER);
    routes.get("/api/v1/dags/{dag_id}/xcomKeys", this::xcomKeys, Access.VIEWER);
  }

  private List<DagRunRow> latestRuns(Context ctx, String dagId) {
    int limit = Requests.intParam(ctx, "limit", DEFAULT_RUNS, 1, Requests.MAX_LIMIT);
    Requests.knownDag(services, dagId);
    // Oldest first, so a chart reads left to right.
    List<DagRunRow> runs = new ArrayList<>(services.store().runs(dagId, null, limit));
    java.util.Collections.reverse(runs);
    return runs;
  }

  private void durations(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String taskId = ctx.pathParam("task_id");
    List<DagRunRow> runs = latestRuns(ctx, dagId);
    services
        .dags()
        .dag(dagId)
        .filter(dag -> dag.task(taskId).isEmpty())
        .ifPresent(
            dag -> {
              throw ApiException.notFound("DAG '" + dagId + "' has no task '" + taskId + "'");
            });
    List<Map<String, Object>> durations = new ArrayList<>();
    for (DagRunRow run : runs) {
      for (TaskTryRow attempt : services.store().tries(run.id(), taskId)) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dag_run_id", run.runId());
        json.put("logical_date", run.logicalDate());
        json.put("map_index", attempt.mapIndex());
        json.put("try_number", attempt.tryNumber());
        json.put("state", attempt.state().label());
        json.put("start_date", attempt.startDate());
        json.put("end_date", attempt.endDate());
        json.put("duration_seconds", Requests.seconds(attempt.startDate(), attempt.endDate()));
        durations.add(json);
      }
    }
    ctx.json(Map.of("durations", durations));
  }

  private void xcomHistory(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String taskId = required(ctx, "task_id");
    String key = ctx.queryParam("key") == null ? "return_value" : ctx.queryParam("key");
    List<Map<String, Object>> values = new ArrayList<>();
    for (DagRunRow run : latestRuns(ctx, dagId)) {
      services
          .store()
          .xcomValues(dagId, run.runId(), taskId, key)
          .forEach(
              (mapIndex, value) -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("dag_run_id", run.runId());
                json.put("logical_date", run.logicalDate());
                json.put("map_index", mapIndex);
                json.put("value", Requests.parsed(value));
                values.add(json);
              });
    }
    ctx.json(Map.of("values", values));
  }

  private void xcomKeys(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Map<String, TreeSet<String>> keys = new TreeMap<>();
    for (DagRunRow run : latestRuns(ctx, dagId)) {
      for (XComRow row : services.store().xcoms(run.id())) {
        keys.computeIfAbsent(row.taskId(), t -> new TreeSet<>()).add(row.key());
      }
    }
    List<Map<String, Object>> list = new ArrayList<>();
    keys.forEach(
        (task, taskKeys) -> taskKeys.forEach(k -> list.add(Map.of("task_id", task, "key", k))));
    ctx.json(Map.of("keys", list));
  }

  private static String required(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("query parameter '" + name + "' is required");
    }
    return value;
  }
}
