package dev.weir.web;

import dev.weir.metrics.Metrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code /metrics}: the process's meters in Prometheus text (or OpenMetrics when asked), for any
 * logged-in user; Prometheus scrapes it with an API token.
 */
final class MetricsRoutes {
  private final Metrics metrics;

  MetricsRoutes(WebServices services) {
    this.metrics = services.metrics();
  }

  void register(RoutesConfig routes) {
    routes.get("/metrics", this::metrics, Access.VIEWER);
  }

  private void metrics(Context ctx) {
    Metrics.Scrape scrape = metrics.scrape(ctx.header("Accept"));
    ctx.contentType(scrape.contentType()).result(scrape.body());
  }
}
