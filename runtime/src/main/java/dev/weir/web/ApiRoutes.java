package dev.weir.web;

import dev.weir.web.api.ChartEndpoints;
import dev.weir.web.api.ConnectionEndpoints;
import dev.weir.web.api.DagEndpoints;
import dev.weir.web.api.DatasetEndpoints;
import dev.weir.web.api.PoolEndpoints;
import dev.weir.web.api.RunEndpoints;
import dev.weir.web.api.TaskInstanceEndpoints;
import dev.weir.web.api.VariableEndpoints;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The REST API under {@code /api/v1}; {@code openapi.json} describes every route. */
final class ApiRoutes {
  static final String OPENAPI_RESOURCE = "/web/openapi.json";

  private final WebServices services;

  ApiRoutes(WebServices services) {
    this.services = services;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/version", this::version, Access.VIEWER);
    routes.get("/api/v1/openapi.json", ApiRoutes::openApi, Access.VIEWER);
    new DagEndpoints(services).register(routes);
    new RunEndpoints(services).register(routes);
    new TaskInstanceEndpoints(services).register(routes);
    new VariableEndpoints(services).register(routes);
    new ConnectionEndpoints(services).register(routes);
    new PoolEndpoints(services).register(routes);
    new DatasetEndpoints(services).register(routes);
    new ChartEndpoints(services).register(routes);
  }

  private void version(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version());
    ctx.json(body);
  }

  private static void openApi(Context ctx) throws IOException {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document is missing from the classpath");
      }
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }

  static String version() {
    Properties properties = new Properties();
    try (InputStream in = ApiRoutes.class.getResourceAsStream("/weir-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // An unreadable resource leaves the version unknown.
    }
    return properties.getProperty("version", "unknown");
  }
}
