package dev.weir.web.api;

import dev.weir.model.TaskSpec;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.PoolRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /api/v1/pools}: reads for viewers, writes for ops. */
public final class PoolEndpoints {
  private final WebServices services;

  public PoolEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/pools", this::list, Access.VIEWER);
    routes.post("/api/v1/pools", this::create, Access.OP);
    routes.get("/api/v1/pools/{name}", this::get, Access.VIEWER);
    routes.patch("/api/v1/pools/{name}", this::update, Access.OP);
    routes.delete("/api/v1/pools/{name}", this::delete, Access.OP);
  }

  private void list(Context ctx) {
    int limit = Requests.limit(ctx);
    int offset = Requests.offset(ctx);
    List<PoolRow> pools = services.store().pools();
    Map<String, int[]> usage = usage();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "pools",
        Requests.page(pools, limit, offset).stream().map(pool -> json(pool, usage)).toList());
    body.put("total_entries", pools.size());
    ctx.json(body);
  }

  private void get(Context ctx) {
    ctx.json(json(find(ctx.pathParam("name")), usage()));
  }

  private void create(Context ctx) {
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "name", "slots", "description");
    String name = Requests.requiredString(body, "name");
    Integer slots = slots(body);
    if (slots == null) {
      throw ApiException.badRequest("field 'slots' is required");
    }
    if (pool(name).isPresent()) {
      throw ApiException.conflict("pool '" + name + "' exists already; PATCH it to change it");
    }
    String description = Requests.string(body, "description");
    services.store().savePool(new PoolRow(name, slots, description == null ? "" : description));
    ctx.json(json(find(name), usage()));
  }

  private void update(Context ctx) {
    String name = ctx.pathParam("name");
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "name", "slots", "description");
    String bodyName = Requests.string(body, "name");
    if (bodyName != null && !bodyName.equals(name)) {
      throw ApiException.badRequest(
          "field 'name' is '" + bodyName + "' but the path names pool '" + name + "'");
    }
    PoolRow pool = find(name);
    Integer slots = slots(body);
    String description = Requests.string(body, "description");
    services
        .store()
        .savePool(
            new PoolRow(
                name,
                slots == null ? pool.slots() : slots,
                description == null ? pool.description() : description));
    ctx.json(json(find(name), usage()));
  }

  private void delete(Context ctx) {
    String name = ctx.pathParam("name");
    if (name.equals(PoolRow.DEFAULT)) {
      throw ApiException.badRequest(
          PoolRow.DEFAULT + " cannot be deleted: tasks without a pool use it; change its slots");
    }
    if (!services.store().deletePool(name)) {
      throw notFound(name);
    }
    ctx.status(204);
  }

  private static Integer slots(Map<String, Object> body) {
    Integer slots = Requests.integer(body, "slots");
    if (slots != null && slots < 0) {
      throw ApiException.badRequest("field 'slots' must be 0 or more, got " + slots);
    }
    return slots;
  }

  private Optional<PoolRow> pool(String name) {
    return services.store().pools().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  private PoolRow find(String name) {
    return pool(name).orElseThrow(() -> notFound(name));
  }

  private static ApiException notFound(String name) {
    return ApiException.notFound("pool '" + name + "' not found");
  }

  /** Running and queued task instances by pool: {running, queued}. */
  private Map<String, int[]> usage() {
    Map<String, int[]> usage = new HashMap<>();
    Map<Long, String> dagOfRun = new HashMap<>();
    for (TaskInstanceRow ti :
        services.store().taskInstancesIn(Set.of(TaskState.RUNNING, TaskState.QUEUED))) {
      String dagId =
          dagOfRun.computeIfAbsent(
              ti.runPk(), pk -> services.store().run(pk).map(DagRunRow::dagId).orElse(""));
      String pool =
          services
              .dags()
              .dag(dagId)
              .flatMap(dag -> dag.task(ti.taskId()))
              .map(TaskSpec::pool)
              .filter(p -> p != null && !p.isEmpty())
              .orElse(PoolRow.DEFAULT);
      usage.computeIfAbsent(pool, p -> new int[2])[ti.state() == TaskState.RUNNING ? 0 : 1]++;
    }
    return usage;
  }

  private static Map<String, Object> json(PoolRow pool, Map<String, int[]> usage) {
    int[] counts = usage.getOrDefault(pool.name(), new int[2]);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", pool.name());
    json.put("slots", pool.slots());
    json.put("description", pool.description());
    json.put("occupied_slots", counts[0] + counts[1]);
    json.put("running_slots", counts[0]);
    json.put("queued_slots", counts[1]);
    return json;
  }
}
