package dev.weir.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.users.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiTest {
  @TempDir Path temp;
  WebFixture web;
  final OpenApiDocument document = ApiClient.document();

  @BeforeEach
  void start() {
    web = new WebFixture(temp).start();
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void should_document_exactly_the_routes_the_server_registers_under_api_v1() {
    Set<String> registered = new TreeSet<>();
    for (String route : web.server().routes()) {
      String[] parts = route.split(" ", 2);
      if (parts[1].startsWith("/api/v1/") && !Set.of("HEAD", "OPTIONS").contains(parts[0])) {
        registered.add(route);
      }
    }
    Set<String> documented = new TreeSet<>();
    for (String operation : document.operations()) {
      if (operation.split(" ", 2)[1].startsWith("/api/v1/")) {
        documented.add(operation);
      }
    }

    assertThat(registered).hasSizeGreaterThan(30);
    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void should_find_a_response_that_breaks_the_document() {
    assertThat(document.problems("GET", "/api/v1/dags", 200, "{\"dags\":[{\"dag_id\":1}]}"))
        .isNotEmpty();
    assertThat(document.problems("GET", "/api/v1/dags", 200, "{\"total_entries\":0}"))
        .anySatisfy(problem -> assertThat(problem).contains("dags"));
    assertThat(document.problems("GET", "/api/v1/dags", 418, "{}"))
        .singleElement()
        .satisfies(problem -> assertThat(problem).contains("418 is not documented"));
    assertThat(document.problems("PUT", "/api/v1/dags", 200, "{}")).isNotEmpty();
    assertThat(document.problems("GET", "/api/v1/nothing", 200, "{}")).isNotEmpty();
    assertThat(document.problems("GET", "/api/v1/dags", 200, "{\"dags\":[],\"total_entries\":0}"))
        .isEmpty();
  }

  @Test
  void should_serve_the_document_to_a_viewer_only_after_login() {
    HttpResponse<String> served = web.api(Role.VIEWER).get("/api/v1/openapi.json");
    HttpResponse<String> anonymous = web.anonymousApi().get("/api/v1/openapi.json");

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(served.body()).contains("\"openapi\": \"3.1.0\"").contains("securitySchemes");
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  /**
   * Every operation refuses an anonymous caller (401) and the role just below the one it needs
   * (403), and lets that role through; every one of these answers conforms to the document.
   */
  @Test
  void should_demand_of_every_operation_the_role_the_document_names() {
    ApiClient anonymous = web.anonymousApi();
    java.util.Map<Role, ApiClient> clients = new java.util.EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      clients.put(role, web.api(role));
    }
    List<String> checked = new ArrayList<>();
    for (String operation : document.operations()) {
      String method = operation.split(" ", 2)[0];
      String template = operation.split(" ", 2)[1];
      String role = document.role(method, template);
      if (role == null) {
        continue; // health is public
      }
      String path = template.replaceAll("\\{[^}]+}", "nothing");
      String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
      Role needed = Role.valueOf(role);

      assertThat(anonymous.send(method, path, body).statusCode()).as(operation).isEqualTo(401);
      if (needed.ordinal() > 0) {
        Role below = Role.values()[needed.ordinal() - 1];
        HttpResponse<String> refused = clients.get(below).send(method, path, body);
        assertThat(refused.statusCode()).as(operation + " as " + below).isEqualTo(403);
        assertThat(refused.body()).contains("needs " + needed.label());
      }
      HttpResponse<String> allowed = clients.get(needed).send(method, path, body);
      assertThat(allowed.statusCode()).as(operation + " as " + needed).isNotIn(401, 403);
      checked.add(operation);
    }
    assertThat(checked).hasSize(document.operations().size() - 2);
  }
}
