package dev.weir.sensors;

import dev.weir.model.Connection;
import dev.weir.model.SensorCheck;
import dev.weir.operators.HttpCall;
import dev.weir.operators.OperatorException;
import dev.weir.run.TaskInstanceContext;
import groovy.lang.Closure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
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
    URI uri;
    try {
      if (spec.conn() != null) {
        Connection connection;
        try {
          connection = context.connection(spec.conn());
        } catch (IllegalArgumentException e) {
          throw new SensorProblem(e.getMessage(), e);
        }
        // The operators' helper: base URL and auth headers are the http task's.
        base = HttpCall.baseUrl(connection);
        headers.putAll(HttpCall.connectionHeaders(connection));
      } else {
        base = rendering.text("url", spec.url());
      }
      uri = HttpCall.resolve(base, rendering.text("endpoint", spec.endpoint()));
    } catch (OperatorException e) {
      throw new SensorProblem(e.getMessage(), e);
    }
    spec.headers()
        .forEach((name, value) -> headers.put(name, rendering.text("header " + name, value)));
    return new HttpCheck(uri, spec.method(), headers, spec.expectStatus(), spec.responseCheck());
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
