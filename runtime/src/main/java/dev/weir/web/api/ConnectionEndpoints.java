package dev.weir.web.api;

import dev.weir.model.Connection;
import dev.weir.secrets.ConnectionRow;
import dev.weir.secrets.SecretsException;
import dev.weir.secrets.SecretsStore;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServer;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/connections}: reads for viewers, writes for ops. A password and an extra are
 * written but never read back; reads say whether there is one.
 */
public final class ConnectionEndpoints {
  private static final String[] FIELDS = {
    "connection_id",
    "conn_type",
    "host",
    "port",
    "schema",
    "login",
    "password",
    "extra",
    "description"
  };

  private final WebServices services;

  public ConnectionEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/connections", this::list, Access.VIEWER);
    routes.post("/api/v1/connections", this::create, Access.OP);
    routes.get("/api/v1/connections/{connection_id}", this::get, Access.VIEWER);
    routes.patch("/api/v1/connections/{connection_id}", this::update, Access.OP);
    routes.delete("/api/v1/connections/{connection_id}", this::delete, Access.OP);
  }

  private void list(Context ctx) {
    int limit = Requests.limit(ctx);
    int offset = Requests.offset(ctx);
    List<ConnectionRow> rows = services.secrets().connections();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "connections",
        Requests.page(rows, limit, offset).stream().map(ConnectionEndpoints::json).toList());
    body.put("total_entries", rows.size());
    ctx.json(body);
  }

  private void get(Context ctx) {
    ctx.json(json(find(ctx.pathParam("connection_id"))));
  }

  private void create(Context ctx) {
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, FIELDS);
    String id = Requests.requiredString(body, "connection_id");
    Connection connection =
        new Connection(
            id,
            Requests.requiredString(body, "conn_type"),
            Requests.string(body, "host"),
            port(body),
            Requests.string(body, "schema"),
            Requests.string(body, "login"),
            Requests.string(body, "password"),
            extra(body));
    boolean added;
    try {
      added = services.secrets().addConnection(connection, Requests.string(body, "description"));
    } catch (SecretsException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!added) {
      throw ApiException.conflict("connection '" + id + "' exists already; PATCH it to change it");
    }
    ctx.json(json(find(id)));
  }

  private void update(Context ctx) {
    String id = ctx.pathParam("connection_id");
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, FIELDS);
    String bodyId = Requests.string(body, "connection_id");
    if (bodyId != null && !bodyId.equals(id)) {
      throw ApiException.badRequest(
          "field 'connection_id' is '" + bodyId + "' but the path names connection '" + id + "'");
    }
    ConnectionRow row = find(id);
    Connection old;
    try {
      old = services.secrets().connection(id).orElseThrow(() -> notFound(id));
    } catch (SecretsException e) {
      if (!body.containsKey("password") || !body.containsKey("extra")) {
        throw new ApiException(
            409, e.getMessage() + "; give both password and extra to replace them");
      }
      old =
          new Connection(
              id, row.type(), row.host(), row.port(), row.schema(), row.login(), null, null);
    }
    // Fields left out keep their value; a field sent as null is removed.
    Connection next =
        new Connection(
            id,
            body.containsKey("conn_type") ? Requests.requiredString(body, "conn_type") : old.type(),
            body.containsKey("host") ? Requests.string(body, "host") : old.host(),
            body.containsKey("port") ? port(body) : old.port(),
            body.containsKey("schema") ? Requests.string(body, "schema") : old.schema(),
            body.containsKey("login") ? Requests.string(body, "login") : old.login(),
            body.containsKey("password") ? Requests.string(body, "password") : old.password(),
            body.containsKey("extra") ? extra(body) : old.extra());
    String description =
        body.containsKey("description") ? Requests.string(body, "description") : row.description();
    boolean replaced;
    try {
      replaced = services.secrets().replaceConnection(next, description);
    } catch (SecretsException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!replaced) {
      throw notFound(id);
    }
    ctx.json(json(find(id)));
  }

  private void delete(Context ctx) {
    String id = ctx.pathParam("connection_id");
    if (!services.secrets().deleteConnection(id)) {
      throw notFound(id);
    }
    ctx.status(204);
  }

  private static Integer port(Map<String, Object> body) {
    Integer port = Requests.integer(body, "port");
    if (port != null && (port < 1 || port > 65535)) {
      throw ApiException.badRequest("field 'port' must be from 1 to 65535, got " + port);
    }
    return port;
  }

  /** The extra: a JSON object, or a string holding one (as Airflow sends it). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> extra(Map<String, Object> body) {
    Object extra = body.get("extra");
    if (extra instanceof String text) {
      if (text.isBlank()) {
        return Map.of();
      }
      try {
        extra = WebServer.JSON.readValue(text, Object.class);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw ApiException.badRequest("field 'extra' is not valid JSON: " + e.getOriginalMessage());
      }
    }
    if (extra == null) {
      return Map.of();
    }
    if (!(extra instanceof Map<?, ?>)) {
      throw ApiException.badRequest(
          "field 'extra' must be a JSON object, got " + Requests.typeOf(extra));
    }
    return (Map<String, Object>) extra;
  }

  private ConnectionRow find(String id) {
    try {
      SecretsStore.checkName("connection id", id);
    } catch (SecretsException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return services.secrets().connectionRow(id).orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("connection '" + id + "' not found");
  }

  private static Map<String, Object> json(ConnectionRow row) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("connection_id", row.id());
    json.put("conn_type", row.type());
    json.put("host", row.host());
    json.put("port", row.port());
    json.put("schema", row.schema());
    json.put("login", row.login());
    json.put("description", row.description());
    json.put("has_password", row.hasPassword());
    json.put("has_extra", row.hasExtra());
    return json;
  }
}
