package dev.weir.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.users.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthTest {
  @TempDir Path temp;
  WebFixture web;

  @BeforeEach
  void start() {
    web = new WebFixture(temp).start();
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void should_answer_health_without_a_login() {
    HttpResponse<String> health = web.anonymous().get("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"metadatabase\":{\"status\":\"healthy\"}");
  }

  @Test
  void should_send_pages_to_the_login_and_refuse_the_api_without_a_login() {
    WebClient anonymous = web.anonymous();

    HttpResponse<String> page = anonymous.get("/dags?tags=etl");
    HttpResponse<String> api = anonymous.get("/api/v1/version");

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location")).hasValue("/login?next=%2Fdags%3Ftags%3Detl");
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).contains("\"status\":401").contains("log in first");
  }

  @Test
  void should_log_in_with_an_http_only_same_site_cookie_and_log_out_with_the_csrf_token() {
    WebClient viewer = web.anonymous();
    HttpResponse<String> login = viewer.postLogin("viewer", WebFixture.PASSWORD);

    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location")).hasValue("/dags");
    List<String> cookies = login.headers().allValues("Set-Cookie");
    assertThat(cookies)
        .anySatisfy(
            cookie ->
                assertThat(cookie)
                    .startsWith(Auth.SESSION_COOKIE + "=")
                    .contains("HttpOnly")
                    .contains("SameSite=Lax"));
    assertThat(viewer.get("/dags").statusCode()).isEqualTo(200);

    // A forged logout (no token) is refused and the session lives on.
    HttpResponse<String> forged = viewer.postForm("/logout", Map.of());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("CSRF token");
    assertThat(viewer.get("/dags").statusCode()).isEqualTo(200);
  }

  @Test
  void should_end_the_session_on_logout() {
    WebClient viewer = web.loggedIn(Role.VIEWER);

    HttpResponse<String> logout = viewer.postForm("/logout", Map.of("_csrf", viewer.csrfToken()));

    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(viewer.get("/dags").statusCode()).isEqualTo(302);
  }

  @Test
  void should_refuse_a_wrong_password_and_a_login_form_from_elsewhere() {
    WebClient client = web.anonymous();

    HttpResponse<String> wrong = client.postLogin("viewer", "not the password");
    HttpResponse<String> unknown = client.postLogin("nobody", WebFixture.PASSWORD);
    HttpResponse<String> forged =
        web.anonymous()
            .postForm(
                "/login",
                Map.of("_csrf", "made-up", "username", "viewer", "password", WebFixture.PASSWORD));

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("Wrong username or password.");
    assertThat(wrong.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith(Auth.SESSION_COOKIE + "=") && !c.contains("Max-Age=0"));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(client.get("/dags").statusCode()).isEqualTo(302);
  }

  @Test
  void should_only_redirect_to_pages_of_this_server_after_login() {
    assertThat(LoginRoutes.safeNext("//evil.example/x")).isEqualTo("/dags");
    assertThat(LoginRoutes.safeNext("https://evil.example/")).isEqualTo("/dags");
    assertThat(LoginRoutes.safeNext("/\\evil.example")).isEqualTo("/dags");
    assertThat(LoginRoutes.safeNext("/dags/etl/grid")).isEqualTo("/dags/etl/grid");
  }

  @Test
  void should_accept_api_tokens_and_basic_auth_without_csrf() {
    String token = web.users.createToken("viewer", "ci", Instant.now());

    HttpResponse<String> bearer =
        web.anonymous().withHeader("Authorization", "Bearer " + token).get("/api/v1/version");
    HttpResponse<String> apiKey =
        web.anonymous().withHeader("X-API-Key", token).get("/api/v1/version");
    HttpResponse<String> basic =
        web.anonymous().withBasicAuth("viewer", WebFixture.PASSWORD).get("/api/v1/version");
    HttpResponse<String> wrongToken =
        web.anonymous().withHeader("X-API-Key", token + "x").get("/api/v1/version");
    HttpResponse<String> wrongPassword =
        web.anonymous().withBasicAuth("viewer", "nope").get("/api/v1/version");

    assertThat(List.of(bearer, apiKey, basic))
        .allSatisfy(
            response -> {
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(response.body()).contains("\"version\"");
            });
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    assertThat(wrongPassword.statusCode()).isEqualTo(401);
  }

  @Test
  void should_refuse_a_revoked_token_and_the_tokens_of_a_deleted_user() {
    String token = web.users.createToken("op", "ci", Instant.now());
    WebClient client = web.anonymous().withHeader("X-API-Key", token);
    assertThat(client.get("/api/v1/version").statusCode()).isEqualTo(200);

    web.users.deleteToken("op", "ci");

    assertThat(client.get("/api/v1/version").statusCode()).isEqualTo(401);
    String second = web.users.createToken("op", "ci", Instant.now());
    web.users.delete("op");
    assertThat(web.anonymous().withHeader("X-API-Key", second).get("/api/v1/version").statusCode())
        .isEqualTo(401);
  }

  @Test
  void should_serve_styles_and_the_graph_layout_library_without_a_login() {
    WebClient anonymous = web.anonymous();

    HttpResponse<String> css = anonymous.get("/static/weir.css");
    HttpResponse<String> dagre = anonymous.get("/webjars/dagre/0.8.4/dist/dagre.min.js");

    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.body()).contains("--success");
    assertThat(dagre.statusCode()).isEqualTo(200);
  }

  @Test
  void should_send_security_headers() {
    HttpResponse<String> page = web.loggedIn(Role.VIEWER).get("/dags");

    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }
}
