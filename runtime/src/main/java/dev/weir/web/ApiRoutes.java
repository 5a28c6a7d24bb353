package dev.weir.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The REST API under {@code /api/v1}. */
final class ApiRoutes {
  private final WebServices services;

  ApiRoutes(WebServices services) {
    this.services = services;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/version", this::version, Access.VIEWER);
  }

  private void version(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version());
    ctx.json(body);
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
