package dev.weir.sensors;

import dev.weir.model.Connection;
import dev.weir.model.SensorCheck;
import dev.weir.run.TaskInstanceContext;
import groovy.lang.Closure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

/**
 * {@code httpSensor}: requests the URL at each poke; done when the answer has the expected status
 * and the response check (if any) accepts its body. Another status or a connection error means not
 * yet; the body is the result.
 */
final class HttpCheck implements Check {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(30))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI uri;
  private final String method;
  private final Map<String, String> headers;
  private final int expectStatus;
  private final Closure<?> responseCheck;

  private HttpCheck(
      URI uri, String method, Map<String, String> headers, int expectStatus, Closure<?> check) {
    this.uri = uri;
    this.method = method;
    this.headers = headers;
    this.expectStatus = expectStatus;
    this.responseCheck = check;
  }

  static Check of(SensorCheck.Http spec, TaskInstanceContext context, Rendering rendering) {
    Map<String, String> headers = new LinkedHashMap<>();
    String base;
    if (spec.conn() != null) {
      Connection connection;
      try {
        connection = context.connection(spec.conn());
      } catch (IllegalArgumentException e) {
        throw new SensorProblem(e.getMessage(), e);
      }
      base = baseUrl(connection);
      if (connection.login() != null) {
        String pair =
            connection.login() + ":" + (connection.password() == null ? "" : connection.password());
        headers.put(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
      }
    } else {
      base = rendering.text("url", spec.url());
    }
    spec.headers()
        .forEach((name, value) -> headers.put(name, rendering.text("header " + name, value)));
    String endpoint = rendering.text("endpoint", spec.endpoint());
    String url = join(base, endpoint);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new SensorProblem("'" + url + "' is not a URL: " + e.getMessage(), e);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new SensorProblem("'" + url + "' is not a URL with a scheme and a host");
    }
    return new HttpCheck(uri, spec.method(), headers, spec.expectStatus(), spec.responseCheck());
  }

  /** {@code http[s]://HOST[:PORT][/SCHEMA]} from a connection of type http or https. */
  private static String baseUrl(Connection c) {
    if (c.host() == null || c.host().isBlank()) {
      throw new SensorProblem("connection '" + c.id() + "' has no host");
    }
    String type = c.type() == null ? "http" : c.type().toLowerCase(Locale.ROOT);
    String scheme = type.equals("https") ? "https" : "http";
    String host = c.host().contains("://") ? c.host() : scheme + "://" + c.host();
    return host
        + (c.port() == null ? "" : ":" + c.port())
        + (c.schema() == null || c.schema().isBlank() ? "" : "/" + c.schema());
  }

  private static String join(String base, String endpoint) {
    if (endpoint == null || endpoint.isEmpty()) {
      return base;
    }
    if (base.endsWith("/") && endpoint.startsWith("/")) {
      return base + endpoint.substring(1);
    }
    return base.endsWith("/") || endpoint.startsWith("/") ? base + endpoint : base + "/" + endpoint;
  }

  @Override
  public Poke poke() throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
    headers.forEach(request::header);
    request.method(method, HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> response;
    try {
      response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return Poke.waiting(method + " " + uri + " failed: " + e);
    }
    if (response.statusCode() != expectStatus) {
      return Poke.waiting(
          method + " " + uri + " answered " + response.statusCode() + ", not " + expectStatus);
    }
    if (responseCheck != null
        && !DefaultTypeTransformation.castToBoolean(responseCheck.call(response.body()))) {
      return Poke.waiting(method + " " + uri + ": the response check returned false");
    }
    return Poke.done(response.body());
  }
}
