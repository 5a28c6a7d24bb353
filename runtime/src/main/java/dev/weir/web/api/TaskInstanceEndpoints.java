package dev.weir.web.api;

import dev.weir.executor.LogChunk;
import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.scheduler.MarkRequest;
import dev.weir.scheduler.MarkedInstance;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import dev.weir.store.XComRow;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The task instances of a run, their tries, logs and XComs. */
public final class TaskInstanceEndpoints {
  /** The most of a log one call answers; a client tails the rest with the offset it got. */
  static final int MAX_LOG_CHUNK = 256 * 1024;

  private static final String BASE = "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances";

  private final WebServices services;

  public TaskInstanceEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get(BASE, this::list, Access.VIEWER);
    routes.get(BASE + "/{task_id}", this::get, Access.VIEWER);
    routes.patch(BASE + "/{task_id}", this::mark, Access.USER);
    routes.get(BASE + "/{task_id}/tries", this::tries, Access.VIEWER);
    routes.get(BASE + "/{task_id}/logs/{try_number}", this::log, Access.VIEWER);
    routes.get(BASE + "/{task_id}/xcomEntries", this::xcoms, Access.VIEWER);
    routes.get(BASE + "/{task_id}/rendered", this::rendered, Access.VIEWER);
  }

  private DagRunRow run(Context ctx) {
    return Requests.run(services, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
  }

  private void list(Context ctx) {
    int limit = Requests.limit(ctx);
    int offset = Requests.offset(ctx);
    Set<TaskState> states = Requests.taskStates(ctx);
    DagRunRow run = run(ctx);
    DagSpec dag = services.dags().dag(run.dagId()).orElse(null);
    List<TaskInstanceRow> instances =
        services.store().taskInstances(run.id()).stream()
            .filter(ti -> states.isEmpty() || states.contains(ti.state()))
            .sorted(order(dag))
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "task_instances",
        Requests.page(instances, limit, offset).stream().map(ti -> json(ti, dag, null)).toList());
    body.put("total_entries", instances.size());
    ctx.json(body);
  }

  /** Instances in the DAG's task order, then by map index. */
  private static Comparator<TaskInstanceRow> order(DagSpec dag) {
    List<String> tasks = dag == null ? List.of() : dag.topologicalOrder();
    Comparator<TaskInstanceRow> byTask =
        Comparator.comparingInt(
            ti -> tasks.indexOf(ti.taskId()) < 0 ? Integer.MAX_VALUE : tasks.indexOf(ti.taskId()));
    return byTask
        .thenComparing(TaskInstanceRow::taskId)
        .thenComparingInt(TaskInstanceRow::mapIndex);
  }

  private void get(Context ctx) {
    DagRunRow run = run(ctx);
    TaskInstanceRow instance = instance(ctx, run);
    List<TaskTryRow> tries = tries(run, instance.taskId(), instance.mapIndex());
    String hostname = tries.isEmpty() ? null : tries.get(tries.size() - 1).hostname();
    ctx.json(json(instance, services.dags().dag(run.dagId()).orElse(null), hostname));
  }

  /** Marks a task's instance (or, without map_index, all its instances) success or failed. */
  private void mark(Context ctx) {
    DagRunRow run = run(ctx);
    String taskId = ctx.pathParam("task_id");
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "new_state", "map_index", "include_upstream", "include_downstream");
    TaskState state =
        Requests.state(
            "field 'new_state'",
            Requests.requiredString(body, "new_state"),
            new TaskState[] {TaskState.SUCCESS, TaskState.FAILED},
            TaskState::label);
    Integer mapIndex = Requests.integer(body, "map_index");
    boolean upstream = Requests.bool(body, "include_upstream", false);
    boolean downstream = Requests.bool(body, "include_downstream", false);
    List<TaskInstanceRow> instances = instancesOf(run, taskId);
    if (instances.isEmpty()) {
      throw noTask(run, taskId);
    }
    if (mapIndex != null && instances.stream().noneMatch(ti -> ti.mapIndex() == mapIndex)) {
      throw ApiException.notFound(
          "task '"
              + taskId
              + "' of run '"
              + run.runId()
              + "' of DAG '"
              + run.dagId()
              + "' has no instance with map_index "
              + mapIndex);
    }
    List<MarkedInstance> marked;
    try {
      marked =
          services
              .requests()
              .markTasks(
                  new MarkRequest(
                      run.dagId(),
                      run.runId(),
                      List.of(taskId),
                      mapIndex,
                      state,
                      upstream,
                      downstream));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(503, e.getMessage());
    }
    List<Map<String, Object>> changed = new ArrayList<>();
    for (MarkedInstance instance : marked) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("task_id", instance.taskId());
      json.put("map_index", instance.mapIndex());
      json.put("dag_run_id", run.runId());
      json.put("state", instance.to().label());
      json.put("previous_state", instance.from().label());
      changed.add(json);
    }
    ctx.json(Map.of("task_instances", changed));
  }

  private void tries(Context ctx) {
    DagRunRow run = run(ctx);
    TaskInstanceRow instance = instance(ctx, run);
    List<Map<String, Object>> tries = new ArrayList<>();
    for (TaskTryRow row : tries(run, instance.taskId(), instance.mapIndex())) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("try_number", row.tryNumber());
      json.put("map_index", row.mapIndex());
      json.put("state", row.state().label());
      json.put("start_date", row.startDate());
      json.put("end_date", row.endDate());
      json.put("hostname", emptyToNull(row.hostname()));
      json.put("error", row.error());
      tries.add(json);
    }
    ctx.json(Map.of("task_instance_tries", tries));
  }

  private void log(Context ctx) {
    DagRunRow run = run(ctx);
    TaskInstanceRow instance = instance(ctx, run);
    String tryText = ctx.pathParam("try_number");
    int tryNumber;
    try {
      tryNumber = Integer.parseInt(tryText);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "path parameter 'try_number' must be a whole number, got '" + tryText + "'");
    }
    long offset = Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    TaskTryRow attempt =
        tries(run, instance.taskId(), instance.mapIndex()).stream()
            .filter(t -> t.tryNumber() == tryNumber)
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "task '"
                            + instance.key()
                            + "' of run '"
                            + run.runId()
                            + "' of DAG '"
                            + run.dagId()
                            + "' has no try "
                            + tryNumber));
    // The path comes from the stored rows, never from the request's text.
    Path file =
        TaskLog.path(
            services.logsFolder(),
            run.dagId(),
            run.runId(),
            attempt.taskId(),
            attempt.mapIndex(),
            attempt.tryNumber());
    LogChunk chunk = LogChunk.read(file, offset, MAX_LOG_CHUNK);
    boolean ended = attempt.endDate() != null;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("content", chunk.text());
    body.put("offset", chunk.next());
    body.put("complete", ended && chunk.atEnd());
    ctx.json(body);
  }

  private void xcoms(Context ctx) {
    DagRunRow run = run(ctx);
    String taskId = ctx.pathParam("task_id");
    Integer mapIndex = mapIndex(ctx);
    List<TaskInstanceRow> instances = instancesOf(run, taskId);
    if (instances.isEmpty()) {
      throw noTask(run, taskId);
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (XComRow row : services.store().xcoms(run.id())) {
      if (!row.taskId().equals(taskId) || (mapIndex != null && row.mapIndex() != mapIndex)) {
        continue;
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("key", row.key());
      json.put("map_index", row.mapIndex());
      json.put("value", Requests.parsed(row.json()));
      json.put("timestamp", row.createdAt());
      entries.add(json);
    }
    ctx.json(Map.of("xcom_entries", entries));
  }

  /** The template fields a try rendered (secrets masked); by default the latest try's. */
  private void rendered(Context ctx) {
    DagRunRow run = run(ctx);
    TaskInstanceRow instance = instance(ctx, run);
    int tryNumber =
        Requests.intParam(
            ctx, "try_number", Math.max(1, instance.tryNumber()), 1, Integer.MAX_VALUE);
    List<TaskTryRow> tries = tries(run, instance.taskId(), instance.mapIndex());
    if (ctx.queryParam("try_number") != null
        && tries.stream().noneMatch(t -> t.tryNumber() == tryNumber)) {
      throw ApiException.notFound(
          "task '"
              + instance.key()
              + "' of run '"
              + run.runId()
              + "' of DAG '"
              + run.dagId()
              + "' has no try "
              + tryNumber);
    }
    Map<String, String> fields =
        services
            .store()
            .renderedFields(run.id(), instance.taskId(), instance.mapIndex(), tryNumber);
    ctx.json(Map.of("rendered_fields", fields));
  }

  private List<TaskInstanceRow> instancesOf(DagRunRow run, String taskId) {
    return services.store().taskInstances(run.id()).stream()
        .filter(ti -> ti.taskId().equals(taskId))
        .toList();
  }

  /** The instance the path and {@code map_index} name, or a 404 naming it. */
  private TaskInstanceRow instance(Context ctx, DagRunRow run) {
    String taskId = ctx.pathParam("task_id");
    Integer wanted = mapIndex(ctx);
    List<TaskInstanceRow> instances = instancesOf(run, taskId);
    if (instances.isEmpty()) {
      throw noTask(run, taskId);
    }
    int mapIndex = wanted == null ? -1 : wanted;
    Optional<TaskInstanceRow> instance =
        instances.stream().filter(ti -> ti.mapIndex() == mapIndex).findFirst();
    return instance.orElseThrow(
        () ->
            ApiException.notFound(
                "task '"
                    + taskId
                    + "' of run '"
                    + run.runId()
                    + "' of DAG '"
                    + run.dagId()
                    + "' has no instance with map_index "
                    + mapIndex
                    + (instances.get(0).mapIndex() >= 0
                        ? "; it is mapped into " + instances.size() + " instance(s)"
                        : "")));
  }

  private static ApiException noTask(DagRunRow run, String taskId) {
    return ApiException.notFound(
        "run '" + run.runId() + "' of DAG '" + run.dagId() + "' has no task '" + taskId + "'");
  }

  private static Integer mapIndex(Context ctx) {
    return ctx.queryParam("map_index") == null
        ? null
        : Requests.intParam(ctx, "map_index", -1, -1, Integer.MAX_VALUE);
  }

  private List<TaskTryRow> tries(DagRunRow run, String taskId, int mapIndex) {
    return services.store().tries(run.id(), taskId).stream()
        .filter(t -> t.mapIndex() == mapIndex)
        .toList();
  }

  static Map<String, Object> json(TaskInstanceRow ti, DagSpec dag, String hostname) {
    TaskSpec task = dag == null ? null : dag.tasks().get(ti.taskId());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("task_id", ti.taskId());
    json.put("map_index", ti.mapIndex());
    json.put("state", ti.state().label());
    json.put("try_number", ti.tryNumber());
    json.put("max_tries", ti.maxTries());
    json.put("start_date", ti.startDate());
    json.put("end_date", ti.endDate());
    json.put("duration", Requests.seconds(ti.startDate(), ti.endDate()));
    json.put("pool", task == null ? null : task.pool());
    json.put("operator", task == null ? null : task.action().kind());
    json.put("next_try_at", ti.nextTryAt());
    json.put("error", ti.error());
    if (hostname != null) {
      json.put("hostname", emptyToNull(hostname));
    }
    return json;
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
