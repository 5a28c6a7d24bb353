package dev.weir.operators;

import dev.weir.model.Connection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request, resolved: its URL, method, headers and body. Built from a Weir {@link
 * Connection} and an endpoint, or from a full URL; shared by the http operator and sensor.
 *
 * <p>A connection's base URL is its extra {@code base_url} when set; otherwise {@code
 * SCHEME://HOST[:PORT]} where the scheme is the type when it is {@code http} or {@code https} (else
 * {@code http}), a host that already has a scheme ({@code https://api.example.org}) is kept, and
 * the connection's schema, when set, is a path prefix. Its login and password become a basic {@code
 * Authorization} header; its extra {@code headers} (a map) are default headers.
 */
public record HttpCall(
    URI uri, String method, Map<String, String> headers, String body, Duration timeout) {

  public HttpCall {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    method = method.toUpperCase(Locale.ROOT);
  }

  /** The base URL of a connection, without a trailing {@code /}. */
  public static String baseUrl(Connection connection) {
    Object explicit = connection.extra().get("base_url");
    String base;
    if (explicit != null && !String.valueOf(explicit).isBlank()) {
      base = String.valueOf(explicit);
    } else {
      if (connection.host() == null || connection.host().isBlank()) {
        throw new OperatorException(
            "connection '"
                + connection.id()
                + "' has no host (nor a base_url extra) to send HTTP requests to");
      }
      String type = connection.type() == null ? "" : connection.type().toLowerCase(Locale.ROOT);
      String scheme = type.equals("https") ? "https" : "http";
      base =
          (connection.host().contains("://")
                  ? connection.host()
                  : scheme + "://" + connection.host())
              + (connection.port() == null ? "" : ":" + connection.port());
      if (connection.schema() != null && !connection.schema().isBlank()) {
        base = join(base, connection.schema());
      }
    }
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The headers a connection adds to every request: basic auth and its extra {@code headers}. */
  public static Map<String, String> connectionHeaders(Connection connection) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (connection.login() != null && !connection.login().isEmpty()) {
      String secret =
          connection.login() + ":" + (connection.password() == null ? "" : connection.password());
      headers.put(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    }
    if (connection.extra().get("headers") instanceof Map<?, ?> extra) {
      extra.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
    }
    return headers;
  }

  /**
   * The URL of an endpoint: the base (a connection's or a full URL) with the endpoint appended; an
   * endpoint that is itself a full URL stands alone.
   */
  public static URI resolve(String base, String endpoint) {
    String url;
    if (endpoint == null || endpoint.isEmpty()) {
      url = base;
    } else if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
      url = endpoint;
    } else {
      url = join(base, endpoint);
    }
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new OperatorException("'" + url + "' is not an http or https URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new OperatorException("'" + url + "' is not a valid URL: " + e.getMessage(), e);
    }
  }

  private static String join(String base, String path) {
    if (base.endsWith("/") && path.startsWith("/")) {
      return base + path.substring(1);
    }
    return base.endsWith("/") || path.startsWith("/") || path.startsWith("?")
        ? base + path
        : base + "/" + path;
  }

  /** The request for {@link java.net.http.HttpClient}. */
  public HttpRequest toRequest() {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
    headers.forEach(builder::header);
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return builder.method(method, publisher).build();
  }

  /** {@code POST https://…/v1/x}, for messages. */
  @Override
  public String toString() {
    return method + " " + uri;
  }
}
