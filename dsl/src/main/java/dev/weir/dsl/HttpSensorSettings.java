package dev.weir.dsl;

import groovy.lang.Closure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The settings of {@code httpSensor('id') { url 'http://…'; endpoint '/status' }}. */
public final class HttpSensorSettings extends SensorSettings {
  private static final List<String> METHODS = List.of("GET", "HEAD", "POST");

  private String conn;
  private String url;
  private String endpoint;
  private String method = "GET";
  private final Map<String, String> headers = new LinkedHashMap<>();
  private int expectStatus = 200;
  private Closure<?> responseCheck;

  HttpSensorSettings(TaskSettings parent) {
    super(
        parent,
        List.of("conn", "url", "endpoint", "method", "headers", "expectStatus", "responseCheck"));
  }

  /** The id of an HTTP connection whose host, port and path give the base URL. */
  public void conn(Object value) {
    conn = text("conn", value);
  }

  /** The base URL, such as {@code 'http://api:8080'}, instead of a connection; a template. */
  public void url(Object value) {
    url = text("url", value);
  }

  /** The path appended to the base URL, such as {@code '/status'}; a template. */
  public void endpoint(Object value) {
    endpoint = text("endpoint", value);
  }

  /** The request method: GET (default), HEAD or POST. */
  public void method(Object value) {
    String name = text("method", value).toUpperCase(Locale.ROOT);
    if (!METHODS.contains(name)) {
      throw new DslException(
          "method takes " + String.join(", ", METHODS) + ", got " + Names.describe(value));
    }
    method = name;
  }

  /** Request headers; values are templates. */
  public void headers(Map<?, ?> values) {
    values.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
  }

  /** The status that means ready (default 200). */
  public void expectStatus(Object value) {
    if (!(value instanceof Integer status) || status < 100 || status > 599) {
      throw new DslException(
          "expectStatus takes an HTTP status such as 200, got " + Names.describe(value));
    }
    expectStatus = status;
  }

  /** A closure that gets the response body and returns true when it means ready. */
  public void responseCheck(Closure<?> check) {
    if (check.getMaximumNumberOfParameters() > 1) {
      throw new DslException("responseCheck takes a closure of one parameter, the body");
    }
    responseCheck = check;
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "conn" -> conn(value);
      case "url" -> url(value);
      case "endpoint" -> endpoint(value);
      case "method" -> method(value);
      case "headers" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new DslException(
              "headers takes a map such as [Accept: 'text/plain'], got " + Names.describe(value));
        }
        headers(map);
      }
      case "expectStatus" -> expectStatus(value);
      case "responseCheck" -> {
        if (!(value instanceof Closure<?> closure)) {
          throw new DslException(
              "responseCheck takes a closure such as { body -> body.contains('ready') }, got "
                  + Names.describe(value));
        }
        responseCheck(closure);
      }
      default -> super.set(name, value);
    }
  }

  String conn() {
    return conn;
  }

  String url() {
    return url;
  }

  String endpoint() {
    return endpoint;
  }

  String method() {
    return method;
  }

  Map<String, String> headerValues() {
    return headers;
  }

  int status() {
    return expectStatus;
  }

  Closure<?> check() {
    return responseCheck;
  }
}
