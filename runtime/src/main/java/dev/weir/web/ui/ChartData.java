package dev.weir.web.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.model.DagSpec;
import dev.weir.store.TaskHistoryRow;
import dev.weir.store.XComHistoryRow;
import dev.weir.store.XComKey;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServer;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The charts tab's data: a task's duration per run, and a numeric XCom value per run. */
public final class ChartData {
  static final int RUNS = 50;

  /** How many recent runs tell whether a task's values under a key are numbers. */
  static final int NUMBER_CHECK_RUNS = 5;

  private final WebServices services;

  public ChartData(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/ui/data/dags/{dag_id}/charts", Ui.data(ctx -> choices(ctx)), Access.VIEWER);
    routes.get(
        "/ui/data/dags/{dag_id}/charts/durations", Ui.data(ctx -> durations(ctx)), Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/charts/xcom", Ui.data(ctx -> xcom(ctx)), Access.VIEWER);
  }

  private static int limit(Context ctx) {
    return Requests.intParam(ctx, "limit", RUNS, 1, 500);
  }

  /** The tasks, and the task/key pairs whose latest values include a number. */
  Map<String, Object> choices(Context ctx) {
    DagSpec dag = Requests.loadedDag(services, ctx.pathParam("dag_id"));
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (XComKey key : services.store().xcomKeys(dag.id())) {
      boolean numeric =
          services
              .store()
              .xcomHistory(dag.id(), key.taskId(), key.key(), NUMBER_CHECK_RUNS)
              .stream()
              .anyMatch(row -> number(row.valueJson()) != null);
      if (numeric) {
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("task_id", key.taskId());
        pair.put("key", key.key());
        pairs.add(pair);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("tasks", new ArrayList<>(dag.tasks().keySet()));
    data.put("xcom_keys", pairs);
    return data;
  }

  /** Each ended try of a task per run, oldest run first, with how long it took. */
  Map<String, Object> durations(Context ctx) {
    DagSpec dag = Requests.loadedDag(services, ctx.pathParam("dag_id"));
    String taskId = Ui.requiredParam(ctx, "task_id");
    if (!dag.tasks().containsKey(taskId)) {
      throw ApiException.notFound("DAG '" + dag.id() + "' has no task '" + taskId + "'");
    }
    List<TaskHistoryRow> history =
        new ArrayList<>(services.store().taskHistory(dag.id(), taskId, limit(ctx)));
    Collections.reverse(history);
    List<Map<String, Object>> points = new ArrayList<>();
    for (TaskHistoryRow attempt : history) {
      if (attempt.startDate() == null || attempt.endDate() == null) {
        continue;
      }
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("dag_run_id", attempt.runId());
      point.put("logical_date", Ui.iso(attempt.logicalDate()));
      point.put("map_index", attempt.mapIndex());
      point.put("try_number", attempt.tryNumber());
      point.put("state", attempt.state() == null ? "none" : attempt.state().label());
      point.put("start_date", Ui.iso(attempt.startDate()));
      point.put("end_date", Ui.iso(attempt.endDate()));
      point.put("duration_seconds", Requests.seconds(attempt.startDate(), attempt.endDate()));
      points.add(point);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("task_id", taskId);
    data.put("durations", points);
    return data;
  }

  /** A task's numeric values under a key per run, oldest run first (each map index its own). */
  Map<String, Object> xcom(Context ctx) {
    DagSpec dag = Requests.loadedDag(services, ctx.pathParam("dag_id"));
    String taskId = Ui.requiredParam(ctx, "task_id");
    String key = Ui.requiredParam(ctx, "key");
    List<XComHistoryRow> history =
        new ArrayList<>(services.store().xcomHistory(dag.id(), taskId, key, limit(ctx)));
    Collections.reverse(history);
    List<Map<String, Object>> values = new ArrayList<>();
    for (XComHistoryRow row : history) {
      Double number = number(row.valueJson());
      if (number == null) {
        continue;
      }
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("dag_run_id", row.runId());
      value.put("logical_date", Ui.iso(row.logicalDate()));
      value.put("map_index", row.mapIndex());
      value.put("value", number);
      values.add(value);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("task_id", taskId);
    data.put("key", key);
    data.put("values", values);
    return data;
  }

  /** The number a JSON value holds, or null when it is not a number. */
  static Double number(String json) {
    if (json == null) {
      return null;
    }
    try {
      JsonNode node = WebServer.JSON.readTree(json);
      return node != null && node.isNumber() ? node.asDouble() : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
