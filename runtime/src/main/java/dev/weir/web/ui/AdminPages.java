package dev.weir.web.ui;

import dev.weir.secrets.ConnectionRow;
import dev.weir.secrets.SecretNames;
import dev.weir.secrets.VariableRow;
import dev.weir.store.PoolRow;
import dev.weir.users.Role;
import dev.weir.web.Access;
import dev.weir.web.Page;
import dev.weir.web.WebServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections, variables and pools. Reads come from here without any secret (passwords and extras
 * are write-only, secret variables show {@value #MASK}); edits go to the REST API, for Ops.
 */
public final class AdminPages {
  static final String MASK = "***";

  private final WebServices services;

  public AdminPages(WebServices services) {
    this.services = services;
  }

  public void register(RoutesConfig routes) {
    routes.get("/connections", ctx -> page(ctx, "connections"), Access.VIEWER);
    routes.get("/variables", ctx -> page(ctx, "variables"), Access.VIEWER);
    routes.get("/pools", ctx -> page(ctx, "pools"), Access.VIEWER);
    routes.get("/ui/data/connections", Ui.data(ctx -> connections()), Access.VIEWER);
    routes.get("/ui/data/variables", Ui.data(ctx -> variables()), Access.VIEWER);
    routes.get("/ui/data/pools", Ui.data(ctx -> pools()), Access.VIEWER);
  }

  private void page(Context ctx, String kind) {
    boolean canEdit = Ui.may(ctx, Role.OP);
    StringBuilder body = new StringBuilder(2048);
    String title = Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    body.append("<section id=\"admin\" data-kind=\"")
        .append(kind)
        .append("\" data-can-edit=\"")
        .append(canEdit)
        .append("\"><h1>")
        .append(title)
        .append("</h1><p id=\"page-error\" class=\"error\" role=\"alert\"></p>");
    if (canEdit) {
      body.append("<button id=\"create\" type=\"button\" class=\"primary\">New</button>");
      form(kind, body);
    }
    body.append("<table id=\"").append(kind).append("\" class=\"list\"><thead><tr>");
    for (String column : columns(kind)) {
      body.append("<th>").append(column).append("</th>");
    }
    if (canEdit) {
      body.append("<th></th>");
    }
    body.append("</tr></thead><tbody></tbody></table></section>");
    Page.render(ctx, title, body.toString(), "/static/js/weir.js", "/static/js/admin.js");
  }

  private static List<String> columns(String kind) {
    return switch (kind) {
      case "connections" ->
          List.of(
              "Id", "Type", "Host", "Port", "Schema", "Login", "Password", "Extra", "Description");
      case "variables" -> List.of("Key", "Value", "Description");
      default -> List.of("Name", "Slots", "Description");
    };
  }

  /** The create/edit form; its fields are named as the REST API's JSON. */
  private static void form(String kind, StringBuilder body) {
    body.append("<form id=\"edit-form\" class=\"panel\" hidden>");
    switch (kind) {
      case "connections" -> {
        field(body, "connection_id", "Connection id", "text");
        field(body, "conn_type", "Type", "text");
        field(body, "host", "Host", "text");
        field(body, "port", "Port", "number");
        field(body, "schema", "Schema", "text");
        field(body, "login", "Login", "text");
        field(body, "password", "Password (blank keeps the stored one)", "password");
        body.append("<label>Extra (JSON; blank keeps the stored one)")
            .append("<textarea name=\"extra\" rows=\"3\"></textarea></label>");
        field(body, "description", "Description", "text");
      }
      case "variables" -> {
        field(body, "key", "Key", "text");
        body.append("<label>Value<textarea name=\"value\" rows=\"3\"></textarea></label>");
        field(body, "description", "Description", "text");
      }
      default -> {
        field(body, "name", "Name", "text");
        field(body, "slots", "Slots", "number");
        field(body, "description", "Description", "text");
      }
    }
    body.append("<button id=\"save\" type=\"submit\" class=\"primary\">Save</button> ")
        .append("<button id=\"cancel\" type=\"button\">Cancel</button>")
        .append("<p id=\"form-error\" class=\"error\" role=\"alert\"></p></form>");
  }

  private static void field(StringBuilder body, String name, String label, String type) {
    body.append("<label>")
        .append(label)
        .append("<input name=\"")
        .append(name)
        .append("\" type=\"")
        .append(type)
        .append("\" autocomplete=\"off\"></label>");
  }

  Map<String, Object> connections() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ConnectionRow connection : services.secrets().connections()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("connection_id", connection.id());
      row.put("conn_type", connection.type());
      row.put("host", connection.host());
      row.put("port", connection.port());
      row.put("schema", connection.schema());
      row.put("login", connection.login());
      row.put("has_password", connection.hasPassword());
      row.put("has_extra", connection.hasExtra());
      row.put("description", connection.description());
      rows.add(row);
    }
    return Map.of("connections", rows);
  }

  Map<String, Object> variables() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (VariableRow variable : services.secrets().variables()) {
      boolean secret = variable.encrypted() || SecretNames.looksSecret(variable.key());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("key", variable.key());
      row.put("value", secret ? MASK : variable.value());
      row.put("description", variable.description());
      row.put("is_encrypted", variable.encrypted());
      row.put("is_secret", secret);
      rows.add(row);
    }
    return Map.of("variables", rows);
  }

  Map<String, Object> pools() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (PoolRow pool : services.store().pools()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", pool.name());
      row.put("slots", pool.slots());
      row.put("description", pool.description());
      rows.add(row);
    }
    return Map.of("pools", rows);
  }
}
