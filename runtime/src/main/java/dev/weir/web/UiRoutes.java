package dev.weir.web;

import dev.weir.store.DagRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** The UI's pages. */
final class UiRoutes {
  private final WebServices services;

  UiRoutes(WebServices services) {
    this.services = services;
  }

  void register(RoutesConfig routes) {
    routes.get("/", ctx -> ctx.redirect("/dags"), Access.VIEWER);
    routes.get("/dags", this::dags, Access.VIEWER);
  }

  private void dags(Context ctx) {
    StringBuilder body = new StringBuilder("<h1>DAGs</h1><table class=\"dags\"><tbody>");
    for (DagRow dag : services.store().dags()) {
      body.append("<tr><td class=\"dag-id\">")
          .append(Html.escape(dag.dagId()))
          .append("</td></tr>");
    }
    body.append("</tbody></table>");
    Page.render(ctx, "DAGs", body.toString());
  }
}
