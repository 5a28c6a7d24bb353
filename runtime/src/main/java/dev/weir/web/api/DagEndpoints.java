package dev.weir.web.api;

import dev.weir.dagbag.GitHead;
import dev.weir.dagbag.ImportError;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.store.DagRow;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** {@code /api/v1/dags}: the DAGs, one DAG, pausing, and a DAG's tasks. */
public final class DagEndpoints {
  private final WebServices services;

  public DagEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/dags", this::list, Access.VIEWER);
    routes.get("/api/v1/dags/{dag_id}", this::get, Access.VIEWER);
    routes.patch("/api/v1/dags/{dag_id}", this::patch, Access.USER);
    routes.get("/api/v1/dags/{dag_id}/tasks", this::tasks, Access.VIEWER);
  }

  private void list(Context ctx) {
    int limit = Requests.limit(ctx);
    int offset = Requests.offset(ctx);
    Boolean paused = Requests.booleanParam(ctx, "paused");
    List<String> tags = ctx.queryParams("tags");
    String pattern = ctx.queryParam("dag_id_pattern");
    Map<String, DagRow> rows = new TreeMap<>();
    services.store().dags().forEach(row -> rows.put(row.dagId(), row));
    Set<String> ids = new TreeSet<>(rows.keySet());
    ids.addAll(services.dags().dags().keySet());
    Set<String> brokenFiles = brokenFiles();
    List<Map<String, Object>> dags = new ArrayList<>();
    for (String id : ids) {
      Optional<DagSpec> dag = services.dags().dag(id);
      Map<String, Object> json = json(id, dag.orElse(null), rows.get(id), brokenFiles);
      if (paused != null && !paused.equals(json.get("is_paused"))) {
        continue;
      }
      if (pattern != null && !id.contains(pattern)) {
        continue;
      }
      if (!tags.isEmpty()
          && (dag.isEmpty() || dag.get().tags().stream().noneMatch(tags::contains))) {
        continue;
      }
      dags.add(json);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dags", Requests.page(dags, limit, offset));
    body.put("total_entries", dags.size());
    ctx.json(body);
  }

  private void get(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Requests.knownDag(services, dagId);
    Optional<DagSpec> dag = services.dags().dag(dagId);
    Map<String, Object> json =
        json(dagId, dag.orElse(null), services.store().dag(dagId).orElse(null), brokenFiles());
    Map<String, Object> params = new LinkedHashMap<>();
    dag.ifPresent(
        spec ->
            spec.params()
                .forEach(
                    (name, param) -> {
                      Map<String, Object> p = new LinkedHashMap<>();
                      p.put("default", param.defaultValue());
                      p.put("type", param.type());
                      p.put("description", param.description());
                      p.put("enum", param.allowed());
                      params.put(name, p);
                    }));
    json.put("params", params);
    json.put("doc_md", dag.map(DagSpec::doc).orElse(null));
    json.put("tasks", dag.map(spec -> spec.tasks().size()).orElse(0));
    ctx.json(json);
  }

  private void patch(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Requests.knownDag(services, dagId);
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "is_paused");
    if (!(body.get("is_paused") instanceof Boolean paused)) {
      throw ApiException.badRequest("field 'is_paused' is required and must be true or false");
    }
    if (services.store().dag(dagId).isEmpty()) {
      // A DAG this server loaded that no scheduler recorded yet: record it, then pause it.
      DagSpec dag = Requests.loadedDag(services, dagId);
      saveVersion(services, dag);
    }
    services.store().setPaused(dagId, paused);
    get(ctx);
  }

  private void tasks(Context ctx) {
    DagSpec dag = Requests.loadedDag(services, ctx.pathParam("dag_id"));
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (String taskId : dag.topologicalOrder()) {
      TaskSpec task = dag.tasks().get(taskId);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("task_id", task.id());
      json.put("operator", task.action().kind());
      json.put("downstream_task_ids", new ArrayList<>(new TreeSet<>(dag.downstream(taskId))));
      json.put("upstream_task_ids", new ArrayList<>(new TreeSet<>(dag.upstream(taskId))));
      json.put("trigger_rule", Requests.lower(task.triggerRule()));
      json.put("retries", task.retries());
      json.put("pool", task.pool());
      json.put("group", task.group());
      json.put("is_mapped", task.expand() != null);
      json.put("owner", task.owner());
      json.put("doc_md", task.doc());
      tasks.add(json);
    }
    ctx.json(Map.of("tasks", tasks));
  }

  /**
   * Saves the loaded DAG's current version and record, as a run of it needs; answers the version.
   */
  static long saveVersion(WebServices services, DagSpec dag) {
    String source =
        services
            .dags()
            .source(dag.source().file())
            .orElseThrow(
                () ->
                    new ApiException(
                        409,
                        "the text of "
                            + dag.source().file()
                            + " changed while it was loaded; try again"));
    return services
        .requests()
        .saveDag(dag, source, GitHead.commit(services.dags().folder()).orElse(null));
  }

  private Set<String> brokenFiles() {
    return services.dags().importErrors().stream()
        .map(ImportError::file)
        .collect(Collectors.toSet());
  }

  private static Map<String, Object> json(
      String dagId, DagSpec dag, DagRow row, Set<String> brokenFiles) {
    Map<String, Object> json = new LinkedHashMap<>();
    String file = dag != null ? dag.source().file() : row.file();
    json.put("dag_id", dagId);
    json.put("description", dag == null ? null : dag.description());
    json.put("is_paused", row != null ? row.paused() : dag.pausedAtCreation());
    json.put("is_active", dag != null || row.active());
    json.put("file", file);
    json.put("schedule", dag == null ? null : dag.schedule().describe());
    json.put("timezone", dag == null ? null : dag.timezone().getId());
    json.put("tags", dag == null ? List.of() : dag.tags());
    json.put(
        "owners",
        dag == null
            ? List.of()
            : new ArrayList<>(
                dag.tasks().values().stream()
                    .map(TaskSpec::owner)
                    .filter(owner -> owner != null && !owner.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new))));
    json.put("next_run_at", row == null ? null : row.nextRunAt());
    json.put("last_parsed_at", row == null ? null : row.lastParsedAt());
    json.put("has_import_errors", brokenFiles.contains(file));
    return json;
  }
}
