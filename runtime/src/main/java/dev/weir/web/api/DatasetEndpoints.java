package dev.weir.web.api;

import dev.weir.dagbag.ImportError;
import dev.weir.store.DatasetEventRow;
import dev.weir.store.DatasetRow;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/datasets} and {@code /api/v1/importErrors}. */
public final class DatasetEndpoints {
  private final WebServices services;

  public DatasetEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/datasets", this::datasets, Access.VIEWER);
    routes.get("/api/v1/datasets/events", this::events, Access.VIEWER);
    routes.get("/api/v1/importErrors", this::importErrors, Access.VIEWER);
  }

  private void datasets(Context ctx) {
    int limit = Requests.limit(ctx);
    int offset = Requests.offset(ctx);
    List<DatasetRow> rows = services.store().datasets();
    List<Map<String, Object>> datasets = new ArrayList<>();
    for (DatasetRow row : Requests.page(rows, limit, offset)) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("uri", row.uri());
      json.put(
          "producers",
          row.producers().stream()
              .map(p -> Map.of("dag_id", p.dagId(), "task_id", p.taskId()))
              .toList());
      json.put("consumers", row.consumers());
      json.put("created_at", row.createdAt());
      json.put("last_event_at", row.lastEventAt());
      json.put("event_count", row.eventCount());
      datasets.add(json);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("datasets", datasets);
    body.put("total_entries", rows.size());
    ctx.json(body);
  }

  private void events(Context ctx) {
    int limit = Requests.limit(ctx);
    String uri = ctx.queryParam("uri");
    if (uri == null || uri.isEmpty()) {
      throw ApiException.badRequest("query parameter 'uri' is required: the dataset's URI");
    }
    if (services.store().datasets().stream().noneMatch(d -> d.uri().equals(uri))) {
      throw ApiException.notFound("dataset '" + uri + "' not found");
    }
    List<Map<String, Object>> events = new ArrayList<>();
    for (DatasetEventRow row : services.store().datasetEvents(uri, limit)) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("uri", row.uri());
      json.put("source_dag_id", row.sourceDagId());
      json.put("source_run_id", row.sourceRunId());
      json.put("source_task_id", row.sourceTaskId());
      json.put("timestamp", row.createdAt());
      events.add(json);
    }
    ctx.json(Map.of("dataset_events", events));
  }

  private void importErrors(Context ctx) {
    List<Map<String, Object>> errors = new ArrayList<>();
    for (ImportError error : services.dags().importErrors()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("filename", error.file());
      json.put("line", error.line());
      json.put("message", error.message());
      json.put("timestamp", error.timestamp());
      errors.add(json);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("import_errors", errors);
    body.put("total_entries", errors.size());
    ctx.json(body);
  }
}
