package dev.weir.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The API's OpenAPI document as tests read it: its operations, and responses checked against it.
 */
final class OpenApiDocument {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  final JsonNode root;
  private final JsonNode definitions;
  private final List<String> templates = new ArrayList<>();

  OpenApiDocument() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(ApiRoutes.OPENAPI_RESOURCE)) {
      root = JSON.readTree(in);
      // The schemas become $defs of each response's schema, so their $refs resolve.
      definitions =
          JSON.readTree(
              JSON.writeValueAsString(root.path("components").path("schemas"))
                  .replace("#/components/schemas/", "#/$defs/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    root.path("paths").fieldNames().forEachRemaining(templates::add);
    // Literal paths before ones with parameters: /datasets/events before /datasets/{x}.
    templates.sort(Comparator.comparingLong(t -> t.chars().filter(c -> c == '{').count()));
  }

  /** Every operation as {@code "METHOD /path"}. */
  Set<String> operations() {
    Set<String> operations = new TreeSet<>();
    for (String path : templates) {
      root.path("paths")
          .path(path)
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (METHODS.contains(method)) {
                  operations.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
              });
    }
    return operations;
  }

  JsonNode operation(String method, String template) {
    return root.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
  }

  /** The path template a request path matches, or null. */
  String template(String path) {
    for (String template : templates) {
      String regex = "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
      if (Pattern.matches(regex, path)) {
        return template;
      }
    }
    return null;
  }

  /**
   * What is wrong with a response by the document: an undocumented operation or status, a body that
   * fails its schema; empty when it conforms.
   */
  List<String> problems(String method, String pathAndQuery, int status, String body) {
    String path = pathAndQuery.split("\\?", 2)[0];
    String template = template(path);
    String what = method + " " + pathAndQuery + " → " + status;
    if (template == null) {
      return List.of(what + ": no path of the document matches");
    }
    JsonNode operation = operation(method, template);
    if (operation.isMissingNode()) {
      return List.of(what + ": the document has no " + method + " " + template);
    }
    JsonNode response = operation.path("responses").path(Integer.toString(status));
    if (response.isMissingNode()) {
      return List.of(what + ": status " + status + " is not documented for " + template);
    }
    JsonNode schema = response.path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      if (!response.path("content").isEmpty()) {
        return List.of(); // a text body, such as /metrics' exposition format: not checked here
      }
      return body == null || body.isEmpty()
          ? List.of()
          : List.of(what + ": the document says no body, got " + body);
    }
    JsonNode value;
    try {
      value = JSON.readTree(body);
    } catch (IOException e) {
      return List.of(what + ": the body is not JSON: " + body);
    }
    Set<String> problems = new LinkedHashSet<>();
    for (ValidationMessage message : schema(schema).validate(value)) {
      problems.add(what + ": " + message.getMessage() + " in " + abbreviate(body));
    }
    return new ArrayList<>(problems);
  }

  private JsonSchema schema(JsonNode schema) {
    try {
      ObjectNode node =
          (ObjectNode)
              JSON.readTree(
                  JSON.writeValueAsString(schema).replace("#/components/schemas/", "#/$defs/"));
      node.set("$defs", definitions);
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The role the document says an operation needs ({@code x-weir-role}). */
  String role(String method, String template) {
    return operation(method, template).path("x-weir-role").asText(null);
  }

  static String abbreviate(String body) {
    return body.length() > 400 ? body.substring(0, 400) + "…" : body;
  }
}
