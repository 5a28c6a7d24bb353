package dev.weir.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An HTTP client for tests, over real HTTP: keeps cookies like a browser, logs in through the login
 * form and sends the session's CSRF token with state-changing requests.
 */
final class WebClient {
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern CSRF_META =
      Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

  private final String baseUrl;
  private final HttpClient http;
  private final List<String[]> headers = new ArrayList<>();
  private String csrfToken;

  WebClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Sends this header with every request (a token, basic auth). */
  WebClient withHeader(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  WebClient withBasicAuth(String username, String password) {
    return withHeader(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** Logs in through the form; fails the test when the login is refused. */
  void login(String username, String password) {
    HttpResponse<String> response = postLogin(username, password);
    if (response.statusCode() != 302) {
      throw new AssertionError(
          "login of " + username + " answered " + response.statusCode() + ": " + response.body());
    }
    HttpResponse<String> page = get("/dags");
    Matcher meta = CSRF_META.matcher(page.body());
    if (!meta.find()) {
      throw new AssertionError("no CSRF token on /dags after login: " + page.body());
    }
    csrfToken = meta.group(1);
  }

  /** Fetches the login form and posts it; answers the post's response. */
  HttpResponse<String> postLogin(String username, String password) {
    HttpResponse<String> form = get("/login");
    Matcher field = CSRF_FIELD.matcher(form.body());
    if (!field.find()) {
      throw new AssertionError("no CSRF field on the login form: " + form.body());
    }
    return postForm(
        "/login",
        Map.of(
            "_csrf", field.group(1), "username", username, "password", password, "next", "/dags"));
  }

  String csrfToken() {
    return csrfToken;
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET());
  }

  /** Sends JSON with the session's CSRF token (when logged in). */
  HttpResponse<String> send(String method, String path, String json) {
    HttpRequest.Builder request =
        request(path)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (csrfToken != null) {
      request.header(Auth.CSRF_HEADER, csrfToken);
    }
    return send(request);
  }

  /** Sends JSON without any CSRF token, as a forged cross-site request would. */
  HttpResponse<String> sendWithoutCsrf(String method, String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> postForm(String path, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
    for (String[] header : headers) {
      builder.header(header[0], header[1]);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
