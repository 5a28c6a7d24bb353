package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.Settings;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir scheduler} and {@code weir standalone} as real daemons on a temporary home. */
class SchedulerCliTest {
  @TempDir Path temp;
  private Path dags;
  private Map<String, String> env;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeDags() throws IOException {
    dags = Files.createDirectories(temp.resolve("dags"));
    Files.writeString(
        dags.resolve("hello.groovy"),
        """
        dag('hello') {
            bash('say') { command 'echo hello' }
        }
        """);
    env =
        Map.of(
            "WEIR_HOME",
            temp.resolve("home").toString(),
            "WEIR_DAGS_FOLDER",
            dags.toString(),
            "WEIR_SCHEDULER_DRAIN_GRACE",
            "1s");
  }

  private Result weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Result(code, out.toString(), err.toString());
  }

  /** A daemon command in its own thread, and what it printed once it is up. */
  private final class Daemon {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Thread thread;
    volatile int exitCode = -1;

    Daemon(String... command) throws InterruptedException {
      thread =
          new Thread(
              () ->
                  exitCode =
                      Main.run(
                          command, new PrintWriter(out, true), new PrintWriter(err, true), env),
              "test-" + command[0]);
      thread.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.toString().contains("Stop with Ctrl-C") && thread.isAlive()) {
        assertThat(System.nanoTime()).as("daemon start").isLessThan(deadline);
        Thread.sleep(50);
      }
    }

    /** Stops it as a shutdown would, and waits for it to end. */
    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(thread.isAlive()).isFalse();
      return exitCode;
    }
  }

  @Test
  void should_run_one_scheduler_per_store_and_serve_other_commands_meanwhile() throws Exception {
    Daemon scheduler = new Daemon("scheduler");
    try {
      assertThat(scheduler.out.toString())
          .startsWith("Weir scheduler running: WEIR_HOME " + temp.resolve("home"))
          .contains("database jdbc:h2:", "DAGs folder " + dags);

      Result second = weir("standalone", "--port", "0");
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.err()).startsWith("weir: another scheduler runs on this store: pid ");
      assertThat(second.err().lines()).hasSize(1);

      Result trigger = weir("dags", "trigger", "hello");
      assertThat(trigger.exitCode()).isZero();
      assertThat(weir("dags", "list-runs", "hello").out()).contains(trigger.out().strip());
    } finally {
      assertThat(scheduler.stop()).isZero();
    }
    try (Database database = Database.open(Settings.load(env));
        MetadataStore store = new JdbcMetadataStore(database)) {
      assertThat(store.lease()).as("lease released on stop").isEmpty();
    }
  }

  @Test
  void should_start_standalone_again_after_a_stop() throws Exception {
    Daemon first = new Daemon("standalone", "--port", "0");
    // A fresh home gets an admin, whose password is printed this once.
    assertThat(first.out.toString())
        .startsWith("Created user 'admin' (role Admin) with password ")
        .contains("Weir standalone running")
        .containsPattern("web UI http://localhost:[0-9]+");
    String password =
        first.out.toString().lines().findFirst().orElseThrow().replaceAll(".* password ", "");
    assertThat(first.stop()).isZero();
    Daemon again = new Daemon("standalone", "--port", "0");
    assertThat(again.out.toString()).startsWith("Weir standalone running");
    assertThat(again.stop()).isZero();
    try (Database database = Database.open(Settings.load(env))) {
      assertThat(
              new dev.weir.users.UserStore(database)
                  .authenticate("admin", password, java.time.Instant.now()))
          .as("the printed password logs admin in")
          .isPresent();
    }
  }

  @Test
  void should_serve_health_and_the_login_page_from_weir_webserver() throws Exception {
    Daemon web = new Daemon("webserver", "--port", "0", "--host", "127.0.0.1");
    try {
      java.util.regex.Matcher port =
          java.util.regex.Pattern.compile("Weir web server on http://127.0.0.1:([0-9]+)")
              .matcher(web.out.toString());
      assertThat(port.find()).as(web.out.toString()).isTrue();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port.group(1);
      java.net.http.HttpResponse<String> health =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      java.net.http.HttpResponse<String> dags =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/version"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(dags.statusCode()).as("no login").isEqualTo(401);
    } finally {
      assertThat(web.stop()).isZero();
    }
  }

  @Test
  void should_serve_metrics_to_a_token_and_health_to_anyone_on_the_schedulers_metrics_port()
      throws Exception {
    weir("users", "create", "--username", "prom", "--role", "Viewer", "--password", "s3cret-prom");
    String token = weir("users", "token", "--username", "prom", "--name", "scrape").out().strip();
    Daemon scheduler =
        new Daemon("scheduler", "--metrics-port", "0", "--metrics-host", "127.0.0.1");
    try {
      java.util.regex.Matcher port =
          java.util.regex.Pattern.compile("metrics http://127.0.0.1:([0-9]+)/metrics")
              .matcher(scheduler.out.toString());
      assertThat(port.find()).as(scheduler.out.toString()).isTrue();
      String base = "http://127.0.0.1:" + port.group(1);

      java.net.http.HttpResponse<String> anonymous = get(base + "/metrics", null);
      java.net.http.HttpResponse<String> wrong = get(base + "/metrics", "Bearer nope");
      java.net.http.HttpResponse<String> scraped = get(base + "/metrics", "Bearer " + token);
      java.net.http.HttpResponse<String> health = get(base + "/health", null);

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(dev.weir.metrics.PrometheusText.parse(scraped.body()).value("weir_dags"))
          .contains(1.0);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body())
          .startsWith("{\"status\":")
          .contains("\"metadatabase\":{\"status\":\"healthy\"}");
    } finally {
      assertThat(scheduler.stop()).isZero();
    }
  }

  @Test
  void should_refuse_a_metrics_port_out_of_range() {
    Result result = weir("scheduler", "--metrics-port", "70000");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("weir: --metrics-port is 70000; expected a port from 0 to 65535\n");
  }

  private static java.net.http.HttpResponse<String> get(String url, String authorization)
      throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void should_refuse_a_missing_dags_folder() {
    Result result = weir("scheduler", "--dags", temp.resolve("nope").toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("weir: DAGs folder " + temp.resolve("nope") + " does not exist\n");
  }
}
