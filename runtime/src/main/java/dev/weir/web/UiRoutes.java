package dev.weir.web;

import dev.weir.web.ui.AdminPages;
import dev.weir.web.ui.ChartData;
import dev.weir.web.ui.DagData;
import dev.weir.web.ui.DagListPage;
import dev.weir.web.ui.DagPage;
import dev.weir.web.ui.DatasetsPage;
import dev.weir.web.ui.TaskInstancePage;
import io.javalin.config.RoutesConfig;

/**
 * The UI: server-rendered page shells whose scripts draw and refresh their data from the JSON of
 * {@code /ui/data/...}, and act through the REST API.
 */
final class UiRoutes {
  private final WebServices services;

  UiRoutes(WebServices services) {
    this.services = services;
  }

  void register(RoutesConfig routes) {
    routes.get("/", ctx -> ctx.redirect("/dags"), Access.VIEWER);
    new DagListPage(services).register(routes);
    new DagData(services).register(routes);
    new ChartData(services).register(routes);
    new TaskInstancePage(services).register(routes);
    new DagPage(services).register(routes);
    new DatasetsPage(services).register(routes);
    new AdminPages(services).register(routes);
  }
}
