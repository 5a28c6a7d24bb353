package dev.weir.web;

import java.net.http.HttpResponse;
import java.util.List;

/**
 * A client of the REST API for tests: every response it receives, success or error, must conform to
 * the OpenAPI document, or the test fails.
 */
final class ApiClient {
  private static final OpenApiDocument DOCUMENT = new OpenApiDocument();

  private final WebClient client;

  ApiClient(WebClient client) {
    this.client = client;
  }

  static OpenApiDocument document() {
    return DOCUMENT;
  }

  HttpResponse<String> get(String path) {
    return checked("GET", path, client.get(path));
  }

  HttpResponse<String> post(String path, String json) {
    return send("POST", path, json);
  }

  HttpResponse<String> patch(String path, String json) {
    return send("PATCH", path, json);
  }

  HttpResponse<String> delete(String path) {
    return send("DELETE", path, null);
  }

  HttpResponse<String> send(String method, String path, String json) {
    return checked(method, path, client.send(method, path, json));
  }

  private static HttpResponse<String> checked(
      String method, String path, HttpResponse<String> response) {
    List<String> problems = DOCUMENT.problems(method, path, response.statusCode(), response.body());
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "the response does not conform to openapi.json:\n" + String.join("\n", problems));
    }
    return response;
  }
}
