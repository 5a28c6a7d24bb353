package dev.weir.web;

import dev.weir.scheduler.Leases;
import dev.weir.store.Lease;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code /health}: open to all, for liveness probes. Says whether the store answers. */
final class HealthRoutes {
  private final WebServices services;

  HealthRoutes(WebServices services) {
    this.services = services;
  }

  void register(RoutesConfig routes) {
    routes.get("/health", this::health, Access.PUBLIC);
    routes.get("/api/v1/health", this::health, Access.PUBLIC);
  }

  private void health(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, Object> store = new LinkedHashMap<>();
    Map<String, Object> scheduler = new LinkedHashMap<>();
    boolean healthy = true;
    try {
      Optional<Lease> lease = services.store().lease();
      store.put("status", "healthy");
      boolean alive = lease.isPresent() && Leases.isAlive(lease.get(), services.clock().instant());
      // No live scheduler is news, not a failure of this process: a webserver may run alone.
      scheduler.put("status", alive ? "healthy" : "unhealthy");
      scheduler.put("latest_heartbeat", lease.map(Lease::heartbeatAt).orElse(null));
    } catch (RuntimeException e) {
      healthy = false;
      store.put("status", "unhealthy");
      store.put("reason", e.getMessage());
    }
    body.put("status", healthy ? "healthy" : "unhealthy");
    body.put("metadatabase", store);
    body.put("scheduler", scheduler);
    ctx.status(healthy ? 200 : 503).json(body);
  }
}
