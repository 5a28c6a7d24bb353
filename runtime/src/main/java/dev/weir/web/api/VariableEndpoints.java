package dev.weir.web.api;

import dev.weir.secrets.Masker;
import dev.weir.secrets.SecretsException;
import dev.weir.secrets.SecretsStore;
import dev.weir.secrets.VariableRow;
import dev.weir.web.Access;
import dev.weir.web.ApiException;
import dev.weir.web.Requests;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/variables}: reads for viewers, writes for ops. A secret variable's value is
 * written but never read back: it shows as {@code "***"}.
 */
public final class VariableEndpoints {
  private final WebServices services;

  public VariableEndpoints(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/variables", this::list, Access.VIEWER);
    routes.post("/api/v1/variables", this::create, Access.OP);
    routes.get("/api/v1/variables/{key}", this::get, Access.VIEWER);
    routes.patch("/api/v1/variables/{key}", this::update, Access.OP);
    routes.delete("/api/v1/variables/{key}", this::delete, Access.OP);
  }

  private void list(Context ctx) {
    int limit = Requests.limit(ctx);
    int offset = Requests.offset(ctx);
    List<VariableRow> rows = services.secrets().variables();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "variables",
        Requests.page(rows, limit, offset).stream().map(VariableEndpoints::json).toList());
    body.put("total_entries", rows.size());
    ctx.json(body);
  }

  private void get(Context ctx) {
    ctx.json(json(find(ctx.pathParam("key"))));
  }

  private void create(Context ctx) {
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "key", "value", "description");
    String key = Requests.requiredString(body, "key");
    String value = requiredValue(body);
    String description = Requests.string(body, "description");
    if (stored(key) != null) {
      throw ApiException.conflict("variable '" + key + "' exists already; PATCH it to change it");
    }
    set(key, value, description == null ? "" : description);
    ctx.json(json(find(key)));
  }

  private void update(Context ctx) {
    String key = ctx.pathParam("key");
    Map<String, Object> body = Requests.body(ctx);
    Requests.onlyFields(body, "key", "value", "description");
    String bodyKey = Requests.string(body, "key");
    if (bodyKey != null && !bodyKey.equals(key)) {
      throw ApiException.badRequest(
          "field 'key' is '" + bodyKey + "' but the path names variable '" + key + "'");
    }
    find(key);
    String value = body.containsKey("value") ? requiredValue(body) : null;
    String description = Requests.string(body, "description");
    if (value == null) {
      // Only the description changes; the value stays as stored (decrypted here, encrypted again).
      try {
        value = services.secrets().variable(key).orElseThrow(() -> notFound(key));
      } catch (SecretsException e) {
        throw new ApiException(409, e.getMessage() + "; give a new value to replace it");
      }
    }
    set(key, value, description);
    ctx.json(json(find(key)));
  }

  private void delete(Context ctx) {
    String key = ctx.pathParam("key");
    if (!services.secrets().deleteVariable(key)) {
      throw notFound(key);
    }
    ctx.status(204);
  }

  private void set(String key, String value, String description) {
    try {
      services.secrets().setVariable(key, value, description);
    } catch (SecretsException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static String requiredValue(Map<String, Object> body) {
    Object value = body.get("value");
    if (!(value instanceof String text)) {
      throw ApiException.badRequest(
          "field 'value' is required and must be a string, got " + Requests.typeOf(value));
    }
    return text;
  }

  private VariableRow find(String key) {
    VariableRow row = stored(key);
    if (row == null) {
      throw notFound(key);
    }
    return row;
  }

  /** The variable as listings have it: an encrypted value is not decrypted. */
  private VariableRow stored(String key) {
    try {
      SecretsStore.checkName("variable key", key);
    } catch (SecretsException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return services.secrets().variables().stream()
        .filter(row -> row.key().equals(key))
        .findFirst()
        .orElse(null);
  }

  private static ApiException notFound(String key) {
    return ApiException.notFound("variable '" + key + "' not found");
  }

  private static Map<String, Object> json(VariableRow row) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("key", row.key());
    json.put("value", row.encrypted() ? Masker.MASK : row.value());
    json.put("description", row.description());
    json.put("is_encrypted", row.encrypted());
    return json;
  }
}
