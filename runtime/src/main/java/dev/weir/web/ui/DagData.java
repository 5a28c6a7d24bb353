package dev.weir.web.ui;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.RunQuery;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jgrapht.graph.DefaultEdge;

/** The data of a DAG's grid, graph, gantt and runs tabs, shaped for those pages. */
public final class DagData {
  static final int GRID_RUNS = 25;
  static final int RUN_CHOICES = 50;

  private final WebServices services;

  public DagData(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/ui/data/dags/{dag_id}/grid", Ui.data(ctx -> grid(ctx)), Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/graph", Ui.data(ctx -> graph(ctx)), Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/gantt", Ui.data(ctx -> gantt(ctx)), Access.VIEWER);
    routes.get("/ui/data/dags/{dag_id}/runs", Ui.data(ctx -> runs(ctx)), Access.VIEWER);
  }

  private DagSpec dag(Context ctx) {
    return Requests.loadedDag(services, ctx.pathParam("dag_id"));
  }

  /** Runs (oldest first) by task instances, with groups as rows of their own. */
  Map<String, Object> grid(Context ctx) {
    DagSpec dag = dag(ctx);
    int limit = Requests.intParam(ctx, "limit", GRID_RUNS, 1, 500);
    List<DagRunRow> runs = new ArrayList<>(services.store().runs(dag.id(), null, limit));
    Collections.reverse(runs);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TaskTree.Row row : TaskTree.rows(dag)) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("kind", row.kind());
      r.put("id", row.id());
      r.put("label", TaskTree.label(row.id()));
      r.put("parent", row.parent());
      r.put("depth", row.depth());
      if (row.kind().equals("task")) {
        TaskSpec task = dag.tasks().get(row.id());
        r.put("is_mapped", task.isMapped());
        r.put("operator", task.action().kind());
      }
      rows.add(r);
    }
    List<Map<String, Object>> runRows = new ArrayList<>();
    List<Map<String, Object>> cells = new ArrayList<>();
    boolean unfinished = false;
    Map<Long, List<TaskInstanceRow>> byRun = new HashMap<>();
    for (TaskInstanceRow instance :
        services.store().taskInstancesOfRuns(runs.stream().map(DagRunRow::id).toList())) {
      byRun.computeIfAbsent(instance.runPk(), pk -> new ArrayList<>()).add(instance);
    }
    for (DagRunRow run : runs) {
      runRows.add(Ui.runJson(run));
      unfinished |= !run.state().isFinished();
      Map<String, List<TaskInstanceRow>> byTask = byTask(byRun.getOrDefault(run.id(), List.of()));
      Map<String, Set<TaskState>> byGroup = new TreeMap<>();
      for (Map.Entry<String, List<TaskInstanceRow>> entry : byTask.entrySet()) {
        TaskSpec task = dag.tasks().get(entry.getKey());
        Map<String, Object> cell = cell(run.runId(), entry.getKey(), entry.getValue(), task);
        cells.add(cell);
        if (task != null && task.group() != null) {
          TaskState state =
              TaskState.valueOf(((String) cell.get("state")).toUpperCase(Locale.ROOT));
          String group = task.group();
          while (true) {
            byGroup.computeIfAbsent(group, g -> EnumSet.noneOf(TaskState.class)).add(state);
            int dot = group.lastIndexOf('.');
            if (dot < 0) {
              break;
            }
            group = group.substring(0, dot);
          }
        }
      }
      for (Map.Entry<String, Set<TaskState>> group : byGroup.entrySet()) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("run_id", run.runId());
        cell.put("group_id", group.getKey());
        cell.put("state", TaskTree.summary(group.getValue()).label());
        cells.add(cell);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("runs", runRows);
    data.put("rows", rows);
    data.put("cells", cells);
    data.put("unfinished", unfinished);
    return data;
  }

  /** One task's cell in a run: its instance, or a summary of a mapped task's instances. */
  static Map<String, Object> cell(
      String runId, String taskId, List<TaskInstanceRow> instances, TaskSpec task) {
    Map<String, Object> cell = new LinkedHashMap<>();
    cell.put("run_id", runId);
    cell.put("task_id", taskId);
    boolean mapped =
        (task != null && task.isMapped())
            || instances.size() > 1
            || instances.get(0).mapIndex() >= 0;
    cell.put("mapped", mapped);
    if (mapped) {
      Map<String, Integer> counts = new TreeMap<>();
      Set<TaskState> states = EnumSet.noneOf(TaskState.class);
      int expanded = 0;
      for (TaskInstanceRow instance : instances) {
        states.add(instance.state());
        counts.merge(Ui.state(instance), 1, Integer::sum);
        if (instance.mapIndex() >= 0) {
          expanded++;
        }
      }
      cell.put("state", TaskTree.summary(states).label());
      cell.put("map_count", expanded);
      cell.put("states", counts);
      cell.put("map_indexes", instances.stream().map(TaskInstanceRow::mapIndex).toList());
    } else {
      TaskInstanceRow instance = instances.get(0);
      cell.put("state", Ui.state(instance));
      cell.put("try_number", instance.tryNumber());
      cell.put("start_date", Ui.iso(instance.startDate()));
      cell.put("end_date", Ui.iso(instance.endDate()));
      cell.put("duration", Requests.seconds(instance.startDate(), instance.endDate()));
    }
    return cell;
  }

  static Map<String, List<TaskInstanceRow>> byTask(List<TaskInstanceRow> instances) {
    Map<String, List<TaskInstanceRow>> byTask = new LinkedHashMap<>();
    for (TaskInstanceRow instance : instances) {
      byTask.computeIfAbsent(instance.taskId(), t -> new ArrayList<>()).add(instance);
    }
    for (List<TaskInstanceRow> list : byTask.values()) {
      list.sort((a, b) -> Integer.compare(a.mapIndex(), b.mapIndex()));
    }
    return byTask;
  }

  /** The tasks, edges and groups of the DAG, with the states of one run (the latest by default). */
  Map<String, Object> graph(Context ctx) {
    DagSpec dag = dag(ctx);
    DagRunRow run = chosenRun(ctx, dag);
    Map<String, Map<String, Object>> cells = new LinkedHashMap<>();
    if (run != null) {
      for (Map.Entry<String, List<TaskInstanceRow>> entry :
          byTask(services.store().taskInstances(run.id())).entrySet()) {
        cells.put(
            entry.getKey(),
            cell(run.runId(), entry.getKey(), entry.getValue(), dag.tasks().get(entry.getKey())));
      }
    }
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (TaskSpec task : dag.tasks().values()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("task_id", task.id());
      t.put("label", TaskTree.label(task.id()));
      t.put("group", task.group());
      t.put("operator", task.action().kind());
      t.put("is_mapped", task.isMapped());
      Map<String, Object> cell = cells.get(task.id());
      t.put("state", cell == null ? "none" : cell.get("state"));
      t.put("map_count", cell == null ? null : cell.get("map_count"));
      tasks.add(t);
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    for (DefaultEdge edge : dag.graph().edgeSet()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("from", dag.graph().getEdgeSource(edge));
      e.put("to", dag.graph().getEdgeTarget(edge));
      edges.add(e);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("run", run == null ? null : Ui.runJson(run));
    data.put("runs", runChoices(dag));
    data.put("tasks", tasks);
    data.put("edges", edges);
    data.put("groups", TaskTree.groups(dag));
    return data;
  }

  /** Every try of every task instance of one run (the latest by default). */
  Map<String, Object> gantt(Context ctx) {
    DagSpec dag = dag(ctx);
    DagRunRow run = chosenRun(ctx, dag);
    List<Map<String, Object>> tries = new ArrayList<>();
    if (run != null) {
      for (TaskTryRow attempt : services.store().triesOfRun(run.id())) {
        tries.add(tryJson(attempt));
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("run", run == null ? null : Ui.runJson(run));
    data.put("runs", runChoices(dag));
    data.put("tries", tries);
    data.put("now", Ui.iso(services.clock().instant()));
    return data;
  }

  static Map<String, Object> tryJson(TaskTryRow attempt) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("task_id", attempt.taskId());
    t.put("map_index", attempt.mapIndex());
    t.put("try_number", attempt.tryNumber());
    t.put("state", attempt.state() == null ? "none" : attempt.state().label());
    t.put("start_date", Ui.iso(attempt.startDate()));
    t.put("end_date", Ui.iso(attempt.endDate()));
    t.put("duration", Requests.seconds(attempt.startDate(), attempt.endDate()));
    t.put("hostname", attempt.hostname());
    t.put("error", attempt.error());
    return t;
  }

  /** The runs of the DAG, newest first, filtered by state and logical date (days in UTC). */
  Map<String, Object> runs(Context ctx) {
    DagSpec dag = dag(ctx);
    String stateParam = ctx.queryParam("state");
    RunState state = null;
    if (stateParam != null && !stateParam.isEmpty()) {
      try {
        state = RunState.valueOf(stateParam.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "query parameter 'state' must be one of queued, running, success, failed; got '"
                + stateParam
                + "'");
      }
    }
    Instant from = day(ctx, "from", 0);
    Instant to = day(ctx, "to", 1);
    int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
    int offset = Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    RunQuery query =
        new RunQuery(
            dag.id(),
            state == null ? Set.of() : Set.of(state),
            from,
            to == null ? null : to.minusNanos(1),
            limit,
            offset);
    List<Map<String, Object>> runs = new ArrayList<>();
    for (DagRunRow run : services.store().runs(query)) {
      runs.add(Ui.runJson(run));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dag_id", dag.id());
    data.put("runs", runs);
    data.put("total_entries", services.store().countRuns(query));
    return data;
  }

  private static Instant day(Context ctx, String name, int plusDays) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return LocalDate.parse(value).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "query parameter '" + name + "' must be a date like 2025-01-31, got '" + value + "'");
    }
  }

  private DagRunRow chosenRun(Context ctx, DagSpec dag) {
    String runId = ctx.queryParam("run_id");
    if (runId != null && !runId.isEmpty()) {
      return Requests.run(services, dag.id(), runId);
    }
    List<DagRunRow> latest = services.store().runs(dag.id(), null, 1);
    return latest.isEmpty() ? null : latest.get(0);
  }

  private List<Map<String, Object>> runChoices(DagSpec dag) {
    List<Map<String, Object>> runs = new ArrayList<>();
    for (DagRunRow run : services.store().runs(dag.id(), null, RUN_CHOICES)) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("run_id", run.runId());
      r.put("state", run.state().label());
      r.put("logical_date", Ui.iso(run.logicalDate()));
      runs.add(r);
    }
    return runs;
  }
}
