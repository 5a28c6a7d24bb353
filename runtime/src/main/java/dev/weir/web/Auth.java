package dev.weir.web;

import dev.weir.users.Session;
import dev.weir.users.Tokens;
import dev.weir.users.UserRow;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates every request but those to public routes and static files, checks the role the
 * route needs, and checks the CSRF token of state-changing requests made with a browser session. A
 * session comes from the {@value #SESSION_COOKIE} cookie; API clients send a token ({@code
 * Authorization: Bearer …} or {@code X-API-Key}) or a user's password (basic auth), which no
 * browser sends by itself, so those need no CSRF token.
 */
final class Auth {
  static final String SESSION_COOKIE = "weir_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "_csrf";

  private final WebServices services;

  Auth(WebServices services) {
    this.services = services;
  }

  /** Runs before every matched endpoint and static file. */
  void check(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.contains(Access.PUBLIC)) {
      return;
    }
    if (roles.isEmpty()) {
      if (isAsset(ctx.path())) {
        return;
      }
      // Fail closed: a route registered without an access rule is a bug, not an open door.
      throw new IllegalStateException("route " + ctx.path() + " has no access rule");
    }
    Access needed = (Access) roles.iterator().next();
    Principal principal = authenticate(ctx).orElseThrow(() -> unauthenticated(ctx));
    principal.attachTo(ctx);
    if (!principal.may(needed.role())) {
      throw new ApiException(
          403,
          "user '"
              + principal.username()
              + "' has role "
              + principal.role().label()
              + "; this needs "
              + needed.role().label());
    }
    if (principal.via() == Principal.Via.SESSION && changesState(ctx)) {
      String sent = ctx.header(CSRF_HEADER);
      if (sent == null && isForm(ctx)) {
        sent = ctx.formParam(CSRF_FIELD);
      }
      if (!Tokens.same(sent, principal.csrfToken())) {
        throw new ApiException(
            403, "the CSRF token is missing or wrong; reload the page and try again");
      }
    }
  }

  private Optional<Principal> authenticate(Context ctx) {
    String authorization = ctx.header("Authorization");
    String apiKey = ctx.header("X-API-Key");
    if (apiKey != null) {
      return token(apiKey);
    }
    if (authorization != null) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return token(authorization.substring(7).trim());
      }
      if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        return basic(authorization.substring(6).trim());
      }
      return Optional.empty();
    }
    return session(ctx.cookie(SESSION_COOKIE))
        .map(
            s ->
                new Principal(
                    s.user().username(), s.user().role(), Principal.Via.SESSION, s.csrfToken()));
  }

  Optional<Session> session(String token) {
    return services.users().session(token, services.clock().instant());
  }

  private Optional<Principal> token(String token) {
    return services
        .users()
        .tokenUser(token, services.clock().instant())
        .map(user -> principal(user, Principal.Via.TOKEN));
  }

  private Optional<Principal> basic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return services
        .users()
        .authenticate(
            decoded.substring(0, colon), decoded.substring(colon + 1), services.clock().instant())
        .map(user -> principal(user, Principal.Via.BASIC));
  }

  private static Principal principal(UserRow user, Principal.Via via) {
    return new Principal(user.username(), user.role(), via, null);
  }

  private static RuntimeException unauthenticated(Context ctx) {
    if (isForMachines(ctx.path())) {
      return new ApiException(
          401, "log in first: send a session cookie, an API token or basic auth");
    }
    String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    return new LoginRequired("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
  }

  static boolean isApi(String path) {
    return path.startsWith("/api/");
  }

  /** Whether programs call the path (the API, probes, Prometheus): they get 401, not a redirect. */
  static boolean isForMachines(String path) {
    return isApi(path) || path.equals("/health") || path.equals("/metrics");
  }

  private static boolean isAsset(String path) {
    return path.startsWith("/static/") || path.startsWith("/webjars/");
  }

  private static boolean changesState(Context ctx) {
    HandlerType method = ctx.method();
    return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    return type != null
        && (type.startsWith("application/x-www-form-urlencoded")
            || type.startsWith("multipart/form-data"));
  }

  /** A page request without a login: answered with a redirect to the login page. */
  static final class LoginRequired extends RuntimeException {
    private final String location;

    LoginRequired(String location) {
      super("login required", null, false, false);
      this.location = location;
    }

    String location() {
      return location;
    }
  }
}
