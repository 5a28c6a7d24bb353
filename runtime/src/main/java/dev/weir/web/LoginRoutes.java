package dev.weir.web;

import dev.weir.users.NewSession;
import dev.weir.users.Tokens;
import dev.weir.users.UserRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * The login page, login and logout. The login form carries a CSRF token of its own, checked against
 * a cookie set with the form (double submit), so no other site can log a browser in.
 */
final class LoginRoutes {
  static final String LOGIN_CSRF_COOKIE = "weir_login_csrf";

  private final WebServices services;
  private final Duration sessionLifetime;
  private final boolean secureCookies;

  LoginRoutes(WebServices services, Duration sessionLifetime, boolean secureCookies) {
    this.services = services;
    this.sessionLifetime = sessionLifetime;
    this.secureCookies = secureCookies;
  }

  void register(RoutesConfig routes) {
    routes.get("/login", this::form, Access.PUBLIC);
    routes.post("/login", this::login, Access.PUBLIC);
    routes.post("/logout", this::logout, Access.VIEWER);
  }

  private void form(Context ctx) {
    showForm(ctx, safeNext(ctx.queryParam("next")), null, 200);
  }

  private void showForm(Context ctx, String next, String error, int status) {
    String csrf = Tokens.random();
    setCookie(ctx, LOGIN_CSRF_COOKIE, csrf, -1);
    StringBuilder body = new StringBuilder();
    body.append("<h1>Log in to Weir</h1>");
    if (error != null) {
      body.append("<p class=\"error\" role=\"alert\">").append(Html.escape(error)).append("</p>");
    }
    body.append("<form method=\"post\" action=\"/login\" class=\"login\">")
        .append("<input type=\"hidden\" name=\"_csrf\" value=\"")
        .append(Html.escape(csrf))
        .append("\"><input type=\"hidden\" name=\"next\" value=\"")
        .append(Html.escape(next))
        .append("\"><label>Username <input name=\"username\" id=\"username\"")
        .append(" autocomplete=\"username\" required autofocus></label>")
        .append("<label>Password <input name=\"password\" id=\"password\" type=\"password\"")
        .append(" autocomplete=\"current-password\" required></label>")
        .append("<button type=\"submit\" id=\"login\">Log in</button></form>");
    ctx.status(status);
    Page.renderPublic(ctx, "Log in", body.toString());
  }

  private void login(Context ctx) {
    String next = safeNext(ctx.formParam("next"));
    if (!Tokens.same(ctx.formParam("_csrf"), ctx.cookie(LOGIN_CSRF_COOKIE))) {
      showForm(ctx, next, "The form expired; log in again.", 403);
      return;
    }
    String username = Optional.ofNullable(ctx.formParam("username")).orElse("").trim();
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    Optional<UserRow> user =
        services.users().authenticate(username, password, services.clock().instant());
    if (user.isEmpty()) {
      showForm(ctx, next, "Wrong username or password.", 401);
      return;
    }
    NewSession session =
        services.users().openSession(user.get(), services.clock().instant(), sessionLifetime);
    setCookie(ctx, Auth.SESSION_COOKIE, session.token(), (int) sessionLifetime.toSeconds());
    setCookie(ctx, LOGIN_CSRF_COOKIE, "", 0);
    ctx.redirect(next);
  }

  private void logout(Context ctx) {
    services.users().closeSession(ctx.cookie(Auth.SESSION_COOKIE));
    setCookie(ctx, Auth.SESSION_COOKIE, "", 0);
    ctx.redirect("/login");
  }

  /** Only a path on this server: never another site (an open redirect). */
  static String safeNext(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")
        || next.startsWith("/login")) {
      return "/dags";
    }
    return next;
  }

  private void setCookie(Context ctx, String name, String value, int maxAgeSeconds) {
    StringBuilder cookie = new StringBuilder();
    cookie.append(name).append('=').append(value).append("; Path=/; HttpOnly; SameSite=Lax");
    if (maxAgeSeconds >= 0) {
      cookie.append("; Max-Age=").append(maxAgeSeconds);
    }
    if (secureCookies) {
      cookie.append("; Secure");
    }
    ctx.res().addHeader("Set-Cookie", cookie.toString());
  }
}
