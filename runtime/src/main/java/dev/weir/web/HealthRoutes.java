package dev.weir.web;

import dev.weir.health.HealthCheck;
import dev.weir.health.HealthReport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code /health}: open to all, for liveness and readiness probes. Says whether the store answers,
 * a scheduler runs and the workers beat their hearts (see {@link HealthCheck}).
 */
final class HealthRoutes {
  private final HealthCheck health;

  HealthRoutes(WebServices services) {
    this.health = services.health();
  }

  void register(RoutesConfig routes) {
    routes.get("/health", this::health, Access.PUBLIC);
    routes.get("/api/v1/health", this::health, Access.PUBLIC);
  }

  private void health(Context ctx) {
    HealthReport report = health.check();
    ctx.status(report.httpStatus()).json(report.body());
  }
}
