package dev.weir.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The settings of an {@code http('id') { … }} task: the request and what to expect back. */
public final class HttpSettings extends TaskSettings {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
  static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
  static final List<String> RESPONSE_KINDS = List.of("auto", "json", "text", "none");
  private static final List<String> KEYWORDS =
      Stream.concat(
              Stream.of(
                  "conn",
                  "url",
                  "method",
                  "endpoint",
                  "headers",
                  "header",
                  "body",
                  "json",
                  "expectStatus",
                  "responseAs",
                  "timeout",
                  "maxResponseBytes"),
              TaskSettings.KEYWORDS.stream())
          .toList();

  private String conn;
  private String url;
  private String method = "GET";
  private String endpoint;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private String body;
  private Object json;
  private List<Integer> expectStatus = List.of();
  private String responseAs = "auto";
  private Duration timeout = DEFAULT_TIMEOUT;
  private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

  HttpSettings(TaskSettings parent) {
    super(parent);
  }

  /** The id of an HTTP connection that gives the base URL (and basic auth, default headers). */
  public void conn(Object value) {
    conn = text("conn", value);
  }

  /** A full URL, instead of a connection; a template. */
  public void url(Object value) {
    url = text("url", value);
  }

  /** GET (default), POST, PUT, PATCH, DELETE, HEAD or OPTIONS. */
  public void method(Object value) {
    String name = text("method", value).toUpperCase(Locale.ROOT);
    if (!METHODS.contains(name)) {
      throw new DslException(
          "unknown HTTP method '" + value + "' (methods: " + String.join(", ", METHODS) + ")");
    }
    method = name;
  }

  /** The path appended to the connection's base URL (or to {@code url}); a template. */
  public void endpoint(Object value) {
    endpoint = text("endpoint", value);
  }

  /** Request headers; values are templates. */
  public void headers(Map<?, ?> values) {
    values.forEach((k, v) -> header(String.valueOf(k), v));
  }

  /** One request header; the value is a template. */
  public void header(String name, Object value) {
    headers.put(name, String.valueOf(value));
  }

  /** The request body as text; a template. */
  public void body(Object value) {
    body = text("body", value);
    json = null;
  }

  /**
   * A request body sent as JSON, such as {@code json([day: '{{ ds }}', full: true])}; the strings
   * in it are templates. Sets {@code Content-Type: application/json} unless a header says
   * otherwise.
   */
  public void json(Object value) {
    json = plainJson("json", value);
    body = null;
  }

  /** A copy made of maps, lists, strings, numbers, booleans and nulls only. */
  static Object plainJson(String where, Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plainJson(where + "." + k, v)));
      return java.util.Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        copy.add(plainJson(where + "[" + i + "]", list.get(i)));
      }
      return java.util.Collections.unmodifiableList(copy);
    }
    throw new DslException(
        where
            + " must hold only maps, lists, strings, numbers, true/false and null, got "
            + Names.describe(value));
  }

  /** The accepted status codes: {@code 200}, {@code [200, 201]} or {@code 200..299}. */
  public void expectStatus(Object value) {
    List<Integer> codes = new ArrayList<>();
    if (value instanceof Integer code) {
      codes.add(code);
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      for (Object item : list) {
        if (!(item instanceof Integer code)) {
          throw new DslException(
              "expectStatus takes status codes such as 200, got " + Names.describe(item));
        }
        codes.add(code);
      }
    } else {
      throw new DslException(
          "expectStatus takes a status code, a list or a range such as 200..299, got "
              + Names.describe(value));
    }
    for (int code : codes) {
      if (code < 100 || code > 599) {
        throw new DslException("expectStatus: " + code + " is not an HTTP status code");
      }
    }
    expectStatus = List.copyOf(codes);
  }

  /**
   * What becomes the task's result: {@code json} (parsed), {@code text}, {@code none}, or {@code
   * auto} (default: parsed when the response's Content-Type is JSON, else text).
   */
  public void responseAs(Object value) {
    String kind = text("responseAs", value).toLowerCase(Locale.ROOT);
    if (!RESPONSE_KINDS.contains(kind)) {
      throw new DslException(
          "responseAs takes one of "
              + String.join(", ", RESPONSE_KINDS)
              + ", got '"
              + value
              + "'"
              + Names.didYouMean(kind, RESPONSE_KINDS));
    }
    responseAs = kind;
  }

  /** How long the request may take, connecting included (default 30 seconds). */
  public void timeout(Object value) {
    timeout = duration("timeout", value);
    if (timeout.isZero()) {
      throw new DslException("timeout must be longer than 0");
    }
  }

  /** The largest response body read (default 1 MiB); a larger one fails the task. */
  public void maxResponseBytes(Object value) {
    maxResponseBytes = positive("maxResponseBytes", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "conn" -> conn(value);
      case "url" -> url(value);
      case "method" -> method(value);
      case "endpoint" -> endpoint(value);
      case "headers" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new DslException("headers takes a map, got " + Names.describe(value));
        }
        headers(map);
      }
      case "body" -> body(value);
      case "json" -> json(value);
      case "expectStatus" -> expectStatus(value);
      case "responseAs" -> responseAs(value);
      case "timeout" -> timeout(value);
      case "maxResponseBytes" -> maxResponseBytes(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return KEYWORDS;
  }

  String conn() {
    return conn;
  }

  String url() {
    return url;
  }

  String method() {
    return method;
  }

  String endpoint() {
    return endpoint;
  }

  Map<String, String> headers() {
    return headers;
  }

  String body() {
    return body;
  }

  Object json() {
    return json;
  }

  List<Integer> expectStatus() {
    return expectStatus;
  }

  String responseAs() {
    return responseAs;
  }

  Duration timeout() {
    return timeout;
  }

  int maxResponseBytes() {
    return maxResponseBytes;
  }
}
