package dev.weir.web.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.model.DagSpec;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskTryRow;
import dev.weir.store.XComRow;
import dev.weir.web.Access;
import dev.weir.web.WebServer;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The charts tab's data: a task's duration per run, and a numeric XCom value per run. */
public final class ChartData {
  static final int RUNS = 50;

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

  /** The runs a chart covers, oldest first. */
  private List<DagRunRow> runs(Context ctx, DagSpec dag) {
    int limit = Ui.intParam(ctx, "limit", RUNS, 1, 500);
    List<DagRunRow> runs = new ArrayList<>(services.store().runs(dag.id(), null, limit));
    Collections.reverse(runs);
    return runs;
  }

  /** The tasks, and the task/key pairs that pushed a number in the recent runs. */
  Map<String, Object> choices(Context ctx) {
    DagSpec dag = Ui.dag(services, ctx.pathParam("dag_id"));
    TreeSet<String> keys = new TreeSet<>();
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (DagRunRow run : runs(ctx, dag)) {
      for (XComRow row : services.store().xcoms(run.id())) {
        if (number(row.json()) != null && keys.add(row.taskId() + "\n" + row.key())) {
          Map<String, Object> pair = new LinkedHashMap<>();
          pair.put("task_id", row.taskId());
          pair.put("key", row.key());
          pairs.add(pair);
        }
      }
    }
    pairs.sort(
        (a, b) ->
            (a.get("task_id") + "\n" + a.get("key"))
                .compareTo(b.get("task_id") + "\n" + b.get("key")));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("tasks", new ArrayList<>(dag.tasks().keySet()));
    data.put("xcom_keys", pairs);
    return data;
  }

  /** Each try of a task per run, with how long it took. */
  Map<String, Object> durations(Context ctx) {
    DagSpec dag = Ui.dag(services, ctx.pathParam("dag_id"));
    String taskId = Ui.requiredParam(ctx, "task_id");
    if (!dag.tasks().containsKey(taskId)) {
      throw dev.weir.web.ApiException.notFound(
          "DAG '" + dag.id() + "' has no task '" + taskId + "'");
    }
    List<Map<String, Object>> points = new ArrayList<>();
    for (DagRunRow run : runs(ctx, dag)) {
      for (TaskTryRow attempt : services.store().tries(run.id(), taskId)) {
        if (attempt.startDate() == null || attempt.endDate() == null) {
          continue;
        }
        Map<String, Object> point = DagData.tryJson(attempt);
        point.put("dag_run_id", run.runId());
        point.put("logical_date", Ui.iso(run.logicalDate()));
        point.put("duration_seconds", point.get("duration"));
        points.add(point);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("task_id", taskId);
    data.put("durations", points);
    return data;
  }

  /** A task's numeric value under a key per run (each map index on its own). */
  Map<String, Object> xcom(Context ctx) {
    DagSpec dag = Ui.dag(services, ctx.pathParam("dag_id"));
    String taskId = Ui.requiredParam(ctx, "task_id");
    String key = Ui.requiredParam(ctx, "key");
    List<Map<String, Object>> values = new ArrayList<>();
    for (DagRunRow run : runs(ctx, dag)) {
      for (Map.Entry<Integer, String> entry :
          services.store().xcomValues(dag.id(), run.runId(), taskId, key).entrySet()) {
        Double number = number(entry.getValue());
        if (number == null) {
          continue;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("dag_run_id", run.runId());
        value.put("logical_date", Ui.iso(run.logicalDate()));
        value.put("map_index", entry.getKey());
        value.put("value", number);
        values.add(value);
      }
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
