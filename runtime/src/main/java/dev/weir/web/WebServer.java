package dev.weir.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.weir.config.Settings;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weir's web server: the UI pages, the REST API under {@code /api/v1}, login, {@code /health} and
 * {@code /metrics}. Every route but health, login and static files needs a logged-in user (see
 * {@link Auth}).
 */
public final class WebServer implements AutoCloseable {
  public static final String PORT = "web.port";
  public static final String HOST = "web.host";
  public static final String SESSION_LIFETIME = "web.session-lifetime";
  public static final String SECURE_COOKIES = "web.secure-cookies";
  public static final int DEFAULT_PORT = 8080;

  private static final String ERROR_WRITTEN = "weir.error-written";

  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  /** JSON as the API writes it: ISO-8601 instants, nulls kept. */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Javalin app;

  private WebServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts serving on the host and port (0 for any free port).
   *
   * @throws IllegalStateException when the port cannot be bound
   */
  public static WebServer start(WebServices services, String host, int port) {
    Settings settings = services.settings();
    Duration sessionLifetime = settings.duration(SESSION_LIFETIME, Duration.ofHours(12));
    boolean secureCookies = Boolean.parseBoolean(settings.get(SECURE_COOKIES, "false"));
    Auth auth = new Auth(services);
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(JSON, false));
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/static";
                    files.directory = "/web/static";
                    files.location = Location.CLASSPATH;
                  });
              config.staticFiles.enableWebjars();
              config.jetty.host = host;
              config.jetty.port = port;
              RoutesConfig routes = config.routes;
              routes.beforeMatched(auth::check);
              routes.before(WebServer::securityHeaders);
              new LoginRoutes(services, sessionLifetime, secureCookies).register(routes);
              new HealthRoutes(services).register(routes);
              new MetricsRoutes(services).register(routes);
              new ApiRoutes(services).register(routes);
              new UiRoutes(services).register(routes);
              routes.exception(Auth.LoginRequired.class, (e, ctx) -> ctx.redirect(e.location()));
              routes.exception(
                  ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
              routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error("{} {} failed", ctx.method(), ctx.path(), e);
                    error(
                        ctx,
                        500,
                        "internal error: "
                            + e.getClass().getSimpleName()
                            + "; the server log has the details");
                  });
              routes.error(
                  404,
                  ctx -> {
                    // Only for paths no route serves; a route's own 404 keeps its message.
                    if (ctx.attribute(ERROR_WRITTEN) == null) {
                      error(ctx, 404, "no such page: " + ctx.path());
                    }
                  });
            });
    try {
      app.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot serve on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    log.info("Web server listening on http://{}:{}", host, app.port());
    return new WebServer(app);
  }

  public int port() {
    return app.port();
  }

  /**
   * The HTTP routes the server serves, as {@code "METHOD /path"} with Javalin's {@code {param}}
   * placeholders: what the OpenAPI document must describe.
   */
  public java.util.List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(handler -> handler.endpoint.method + " " + handler.endpoint.path)
        .toList();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    // Scripts and styles only from this server: an injected <script> cannot run.
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " frame-ancestors 'none'");
  }

  /** Answers an error: problem JSON for the API, an escaped HTML page for the UI. */
  static void error(Context ctx, int status, String message) {
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    ctx.status(status);
    if (Auth.isForMachines(ctx.path())) {
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("status", status);
      problem.put("title", title(status));
      problem.put("detail", message);
      ctx.json(problem);
    } else {
      ctx.contentType("text/html; charset=utf-8")
          .result(
              "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                  + status
                  + " "
                  + title(status)
                  + " - Weir</title><link rel=\"stylesheet\" href=\"/static/weir.css\"></head>"
                  + "<body><main class=\"narrow\"><h1>"
                  + status
                  + " "
                  + title(status)
                  + "</h1><p class=\"error\">"
                  + Html.escape(message)
                  + "</p><p><a href=\"/dags\">Back to the DAGs</a></p></main></body></html>");
    }
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 422 -> "Unprocessable Entity";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
