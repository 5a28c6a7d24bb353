package dev.weir.web.api;

import dev.weir.store.TaskHistoryRow;
import dev.weir.store.XComHistoryRow;
import dev.weir.store.XComKey;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

  /** How many of the latest runs a chart covers: {@code limit}, 30 by default. */
  private int runLimit(Context ctx, String dagId) {
    int limit = Requests.intParam(ctx, "limit", DEFAULT_RUNS, 1, Requests.MAX_LIMIT);
    Requests.knownDag(services, dagId);
    return limit;
  }

  private void durations(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String taskId = ctx.pathParam("task_id");
    int limit = runLimit(ctx, dagId);
    services
        .dags()
        .dag(dagId)
        .filter(dag -> dag.task(taskId).isEmpty())
        .ifPresent(
            dag -> {
              throw ApiException.notFound("DAG '" + dagId + "' has no task '" + taskId + "'");
            });
    List<Map<String, Object>> durations = new ArrayList<>();
    for (TaskHistoryRow attempt :
        oldestRunFirst(services.store().taskHistory(dagId, taskId, limit), TaskHistoryRow::runId)) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dag_run_id", attempt.runId());
      json.put("logical_date", attempt.logicalDate());
      json.put("map_index", attempt.mapIndex());
      json.put("try_number", attempt.tryNumber());
      json.put("state", attempt.state().label());
      json.put("start_date", attempt.startDate());
      json.put("end_date", attempt.endDate());
      json.put("duration_seconds", Requests.seconds(attempt.startDate(), attempt.endDate()));
      durations.add(json);
    }
    ctx.json(Map.of("durations", durations));
  }

  private void xcomHistory(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String taskId = required(ctx, "task_id");
    String key = ctx.queryParam("key") == null ? "return_value" : ctx.queryParam("key");
    int limit = runLimit(ctx, dagId);
    List<Map<String, Object>> values = new ArrayList<>();
    for (XComHistoryRow row :
        oldestRunFirst(
            services.store().xcomHistory(dagId, taskId, key, limit), XComHistoryRow::runId)) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dag_run_id", row.runId());
      json.put("logical_date", row.logicalDate());
      json.put("map_index", row.mapIndex());
      json.put("value", Requests.parsed(row.valueJson()));
      values.add(json);
    }
    ctx.json(Map.of("values", values));
  }

  private void xcomKeys(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Requests.knownDag(services, dagId);
    List<Map<String, Object>> keys = new ArrayList<>();
    for (XComKey key : services.store().xcomKeys(dagId)) {
      keys.add(Map.of("task_id", key.taskId(), "key", key.key()));
    }
    ctx.json(Map.of("keys", keys));
  }

  /**
   * The rows in runs from oldest to newest, so a chart reads left to right; within a run they keep
   * the store's order (by map index, then try).
   */
  static <T> List<T> oldestRunFirst(List<T> newestRunFirst, Function<T, String> runId) {
    List<List<T>> runs = new ArrayList<>();
    String current = null;
    for (T row : newestRunFirst) {
      if (runs.isEmpty() || !runId.apply(row).equals(current)) {
        runs.add(new ArrayList<>());
        current = runId.apply(row);
      }
      runs.get(runs.size() - 1).add(row);
    }
    Collections.reverse(runs);
    return runs.stream().flatMap(List::stream).toList();
  }

  private static String required(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("query parameter '" + name + "' is required");
    }
    return value;
  }
}
