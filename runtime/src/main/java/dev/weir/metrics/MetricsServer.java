package dev.weir.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.health.HealthCheck;
import dev.weir.health.HealthReport;
import dev.weir.users.UserStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics port of a process without a web server ({@code weir scheduler}): {@code /metrics} for
 * a caller with an API token ({@code Authorization: Bearer …}), {@code /health} for anyone.
 */
public final class MetricsServer implements AutoCloseable {
  public static final String PORT = "metrics.port";
  public static final String HOST = "metrics.host";

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpServer server;
  private final ExecutorService threads;

  private MetricsServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts serving on the host and port (0 for any free port).
   *
   * @throws IllegalStateException when the port cannot be bound
   */
  public static MetricsServer start(
      Metrics metrics, UserStore users, HealthCheck health, Clock clock, String host, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    AtomicInteger count = new AtomicInteger();
    // Two threads: a slow database answering /health does not hold up /metrics.
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "weir-metrics-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(threads);
    server.createContext(
        "/metrics",
        exchange ->
            answer(
                exchange,
                () -> {
                  if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                    return text(404, "no such page: " + exchange.getRequestURI().getPath());
                  }
                  if (!hasToken(exchange, users, clock)) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"weir\"");
                    return text(401, "send an API token: Authorization: Bearer <token>");
                  }
                  Metrics.Scrape scrape =
                      metrics.scrape(exchange.getRequestHeaders().getFirst("Accept"));
                  return new Answer(200, scrape.contentType(), scrape.body());
                }));
    server.createContext(
        "/health",
        exchange ->
            answer(
                exchange,
                () -> {
                  HealthReport report = health.check();
                  return new Answer(report.httpStatus(), "application/json", report.json());
                }));
    server.createContext(
        "/",
        exchange -> answer(exchange, () -> text(404, "no such page: " + exchange.getRequestURI())));
    server.start();
    log.info("Metrics on http://{}:{}/metrics", host, server.getAddress().getPort());
    return new MetricsServer(server, threads);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static boolean hasToken(HttpExchange exchange, UserStore users, Clock clock) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return users.tokenUser(authorization.substring(7).trim(), clock.instant()).isPresent();
  }

  private record Answer(int status, String contentType, String body) {}

  private interface Handler {
    Answer handle() throws IOException;
  }

  private static Answer text(int status, String message) {
    return new Answer(status, "text/plain; charset=utf-8", message + "\n");
  }

  private static void answer(HttpExchange exchange, Handler handler) throws IOException {
    try (exchange) {
      Answer answer;
      try {
        answer = handler.handle();
      } catch (RuntimeException e) {
        log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        answer = text(500, "internal error; the server log has the details");
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(answer.status(), head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
