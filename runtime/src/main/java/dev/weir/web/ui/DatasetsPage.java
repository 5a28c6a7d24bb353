package dev.weir.web.ui;

import dev.weir.store.DatasetEventRow;
import dev.weir.store.DatasetRow;
import dev.weir.web.Access;
import dev.weir.web.Page;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Datasets with the tasks that update them, the DAGs scheduled on them and their events. */
public final class DatasetsPage {
  static final int EVENTS = 10;

  private final WebServices services;

  public DatasetsPage(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/datasets", this::page, Access.VIEWER);
    routes.get("/ui/data/datasets", Ui.data(ctx -> data()), Access.VIEWER);
  }

  private void page(Context ctx) {
    Page.render(
        ctx,
        "Datasets",
        "<h1>Datasets</h1><p id=\"page-error\" class=\"error\"></p>"
            + "<table id=\"datasets\" class=\"list\"><thead><tr><th>URI</th><th>Producers</th>"
            + "<th>Consumers</th><th>Last event</th><th>Events</th></tr></thead>"
            + "<tbody></tbody></table>",
        "/static/js/weir.js",
        "/static/js/datasets.js");
  }

  Map<String, Object> data() {
    List<Map<String, Object>> datasets = new ArrayList<>();
    for (DatasetRow dataset : services.store().datasets()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("uri", dataset.uri());
      List<Map<String, Object>> producers = new ArrayList<>();
      for (DatasetRow.Producer producer : dataset.producers()) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dag_id", producer.dagId());
        p.put("task_id", producer.taskId());
        producers.add(p);
      }
      row.put("producers", producers);
      row.put("consumers", dataset.consumers());
      row.put("last_event_at", Ui.iso(dataset.lastEventAt()));
      row.put("event_count", dataset.eventCount());
      List<Map<String, Object>> events = new ArrayList<>();
      for (DatasetEventRow event : services.store().datasetEvents(dataset.uri(), EVENTS)) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("source_dag_id", event.sourceDagId());
        e.put("source_run_id", event.sourceRunId());
        e.put("source_task_id", event.sourceTaskId());
        e.put("timestamp", Ui.iso(event.createdAt()));
        events.add(e);
      }
      row.put("events", events);
      datasets.add(row);
    }
    return Map.of("datasets", datasets);
  }
}
