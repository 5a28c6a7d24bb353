package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weir.state.TaskState;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http operator against a real HTTP server on a local port. */
class HttpOperatorTest {
  @TempDir Path root;
  private OperatorHarness harness;
  private HttpServer server;
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    harness = new OperatorHarness(root);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/echo",
        exchange -> {
          seen.put("method", exchange.getRequestMethod());
          seen.put("path", exchange.getRequestURI().toString());
          seen.put(
              "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          seen.put("day", String.valueOf(exchange.getRequestHeaders().getFirst("X-Day")));
          seen.put("auth", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          seen.put("type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
          byte[] reply = "{\"ok\": true, \"rows\": [1, 2]}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
          exchange.sendResponseHeaders(201, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    server.createContext(
        "/broken",
        exchange -> {
          byte[] reply = "database is down".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(503, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    server.createContext(
        "/text",
        exchange -> {
          byte[] reply = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    server.start();
    harness.connection(
        "api",
        "http",
        "127.0.0.1",
        server.getAddress().getPort(),
        null,
        "weir",
        "s3cret",
        Map.of("headers", Map.of("X-Team", "data")));
  }

  @AfterEach
  void stop() {
    server.stop(0);
    harness.close();
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void should_send_method_headers_and_json_body_and_return_the_parsed_response() throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask(
            """
            http('t') {
                conn 'api'
                method 'POST'
                endpoint '/v1/echo?day={{ ds }}'
                headers('X-Day': '{{ ds_nodash }}')
                json([day: '{{ ds }}', full: true, n: 3])
                expectStatus 201
            }
            """);

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(ran.result()).isEqualTo(Map.of("ok", true, "rows", List.of(1, 2)));
    assertThat(seen)
        .containsEntry("method", "POST")
        .containsEntry("path", "/v1/echo?day=2025-03-01")
        .containsEntry("body", "{\"day\":\"2025-03-01\",\"full\":true,\"n\":3}")
        .containsEntry("day", "20250301")
        .containsEntry("type", "application/json")
        .containsEntry("auth", "Basic d2VpcjpzM2NyZXQ=");
    // The task's own fields, not the connection's URL or headers.
    assertThat(ran.rendered())
        .containsExactly(
            Map.entry("endpoint", "/v1/echo?day=2025-03-01"),
            Map.entry("json", "{\"day\":\"2025-03-01\",\"full\":true,\"n\":3}"),
            Map.entry("header X-Day", "20250301"));
  }

  @Test
  void should_send_a_text_body_to_a_full_url_and_keep_the_response_as_text_when_asked()
      throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask(
            "http('t') { url '"
                + base()
                + "/v1/echo'; method 'PUT'; body 'day={{ ds }}'; expectStatus 200..299; responseAs 'text' }");

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(ran.result()).isEqualTo("{\"ok\": true, \"rows\": [1, 2]}");
    assertThat(seen).containsEntry("method", "PUT").containsEntry("body", "day=2025-03-01");
    assertThat(ran.rendered())
        .containsExactly(
            Map.entry("url", base() + "/v1/echo"), Map.entry("body", "day=2025-03-01"));
  }

  @Test
  void should_fail_with_the_status_and_the_start_of_the_body_when_the_status_is_unexpected()
      throws Exception {
    OperatorHarness.Ran ran = harness.runTask("http('t') { conn 'api'; endpoint 'broken' }");

    assertThat(ran.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(ran.outcome().error())
        .isEqualTo("GET " + base() + "/broken returned 503, expected 2xx: database is down");
  }

  @Test
  void should_fail_when_the_response_is_larger_than_the_limit() throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask("http('t') { conn 'api'; endpoint '/text'; maxResponseBytes 1000 }");

    assertThat(ran.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(ran.outcome().error()).contains("is larger than 1000 bytes");
  }

  @Test
  void should_fail_when_json_is_expected_but_text_arrives() throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask("http('t') { conn 'api'; endpoint '/text'; responseAs 'json' }");

    assertThat(ran.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(ran.outcome().error())
        .startsWith("the response of GET " + base() + "/text is not JSON");
  }
}
