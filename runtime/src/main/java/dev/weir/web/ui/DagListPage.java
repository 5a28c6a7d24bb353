package dev.weir.web.ui;

import dev.weir.dagbag.ImportError;
import dev.weir.model.DagSpec;
import dev.weir.store.DagRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.ImportErrorRow;
import dev.weir.users.Role;
import dev.weir.web.Access;
import dev.weir.web.Page;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The DAG list: every DAG with its schedule, pause switch and latest runs; import errors. */
public final class DagListPage {
  static final int RECENT_RUNS = 10;

  private final WebServices services;

  public DagListPage(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/dags", this::page, Access.VIEWER);
    routes.get("/ui/data/dags", Ui.data(ctx -> data()), Access.VIEWER);
  }

  private void page(Context ctx) {
    boolean canPause = Ui.may(ctx, Role.USER);
    String body =
        "<h1>DAGs</h1>"
            + "<div id=\"import-errors\" class=\"banner error\" hidden></div>"
            + "<div class=\"toolbar\"><input id=\"dag-search\" type=\"search\""
            + " placeholder=\"Search DAGs\" aria-label=\"Search DAGs\">"
            + "<div id=\"tags\" class=\"tags\"></div></div>"
            + "<table id=\"dags\" class=\"list\" data-can-pause=\""
            + canPause
            + "\"><thead><tr><th>Active</th><th>DAG</th><th>Schedule</th><th>Next run</th>"
            + "<th>Recent runs</th><th>Tags</th></tr></thead><tbody></tbody></table>"
            + "<p id=\"page-error\" class=\"error\"></p>";
    Page.render(ctx, "DAGs", body, "/static/js/weir.js", "/static/js/dags.js");
  }

  /** The list's data: DAGs known to the store or loaded, with their recent runs. */
  Map<String, Object> data() {
    Map<String, DagRow> rows = new TreeMap<>();
    for (DagRow row : services.store().dags()) {
      rows.put(row.dagId(), row);
    }
    Map<String, DagSpec> loaded = services.dags().dags();
    Set<String> ids = new TreeSet<>(rows.keySet());
    ids.addAll(loaded.keySet());
    List<Map<String, Object>> importErrors = importErrors();
    Set<String> brokenFiles = new LinkedHashSet<>();
    for (Map<String, Object> error : importErrors) {
      brokenFiles.add((String) error.get("filename"));
    }
    List<Map<String, Object>> dags = new ArrayList<>();
    Set<String> allTags = new TreeSet<>();
    for (String id : ids) {
      DagRow row = rows.get(id);
      DagSpec spec = loaded.get(id);
      if (spec == null && row != null && !row.active()) {
        continue; // its file is gone: nothing to show but history
      }
      Map<String, Object> dag = new LinkedHashMap<>();
      dag.put("dag_id", id);
      dag.put("description", spec == null ? null : spec.description());
      String file = spec != null ? spec.source().file() : row.file();
      dag.put("file", file);
      dag.put("is_paused", row != null ? row.paused() : spec.pausedAtCreation());
      dag.put("is_active", spec != null);
      dag.put("schedule", spec == null ? null : spec.schedule().describe());
      dag.put("timezone", spec == null ? null : spec.timezone().getId());
      List<String> tags = spec == null ? List.of() : spec.tags();
      allTags.addAll(tags);
      dag.put("tags", tags);
      dag.put("next_run_at", row == null ? null : Ui.iso(row.nextRunAt()));
      dag.put("has_import_errors", brokenFiles.contains(file));
      List<Map<String, Object>> recent = new ArrayList<>();
      for (DagRunRow run : services.store().runs(id, null, RECENT_RUNS)) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("run_id", run.runId());
        r.put("state", run.state().label());
        r.put("logical_date", Ui.iso(run.logicalDate()));
        recent.add(r);
      }
      dag.put("recent_runs", recent);
      dags.add(dag);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dags", dags);
    data.put("tags", allTags);
    data.put("import_errors", importErrors);
    return data;
  }

  /** The loaded bag's import errors, and the store's (the scheduler's) that differ. */
  private List<Map<String, Object>> importErrors() {
    Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
    for (ImportError error : services.dags().importErrors()) {
      put(byKey, error.file(), error.line(), error.message(), error.timestamp());
    }
    for (ImportErrorRow error : services.store().importErrors()) {
      put(byKey, error.file(), error.line(), error.message(), error.timestamp());
    }
    return new ArrayList<>(byKey.values());
  }

  private static void put(
      Map<String, Map<String, Object>> byKey, String file, int line, String message, Instant at) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("filename", file);
    row.put("line", line);
    row.put("message", message);
    row.put("timestamp", Ui.iso(at));
    byKey.putIfAbsent(file + ":" + line + ":" + message, row);
  }
}
