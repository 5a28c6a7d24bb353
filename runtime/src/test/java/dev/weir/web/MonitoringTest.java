package dev.weir.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.Settings;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.metrics.Metrics;
import dev.weir.metrics.PrometheusText;
import dev.weir.scheduler.SchedulerDaemon;
import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.SecretsStore;
import dev.weir.store.DagRunRow;
import dev.weir.users.Role;
import dev.weir.users.UserStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} and {@code /health} of a real scheduler and web server sharing one registry, as
 * {@code weir standalone} runs them: a DAG whose task succeeds, one whose task fails, and a broken
 * script.
 */
class MonitoringTest {
  @TempDir Path temp;
  private final Clock clock = Clock.systemUTC();
  private final Metrics metrics = new Metrics();
  private SchedulerDaemon daemon;
  private WebServer server;
  private String token;

  @BeforeEach
  void start() throws Exception {
    Path dags = Files.createDirectories(temp.resolve("dags"));
    Files.writeString(dags.resolve("fine.groovy"), once("fine", "ctx -> 'done'"));
    Files.writeString(
        dags.resolve("broken_task.groovy"),
        once("failing", "ctx -> { throw new IllegalStateException('no') }"));
    Files.writeString(dags.resolve("syntax.groovy"), "dag('syntax') { task('t') { ctx -> ");
    Settings settings = Settings.load(Map.of("WEIR_HOME", temp.resolve("home").toString()));
    daemon =
        new SchedulerDaemon(
            settings,
            new SchedulerDaemon.Options(
                dags, 4, Duration.ofMillis(100), Duration.ofSeconds(1), DagBagOptions.defaults()),
            clock,
            metrics);
    daemon.start();
    UserStore users = new UserStore(daemon.database());
    users.create("viewer", Role.VIEWER, WebFixture.PASSWORD, clock.instant());
    token = users.createToken("viewer", "prometheus", clock.instant());
    server =
        WebServer.start(
            new WebServices(
                settings,
                daemon.store(),
                users,
                new SecretsStore(daemon.database(), new SecretCipher(MasterKey.from(settings))),
                daemon.dagBag(),
                clock,
                metrics),
            "127.0.0.1",
            0);
  }

  private static String once(String dagId, String code) {
    return """
        dag('%s') {
            schedule '@once'
            startDate '2024-01-01'
            pausedAtCreation false
            task('work') { %s }
        }
        """
        .formatted(dagId, code);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (daemon != null) {
      daemon.close();
    }
    metrics.close();
  }

  private WebClient client() {
    return new WebClient("http://127.0.0.1:" + server.port());
  }

  private PrometheusText scrape() {
    HttpResponse<String> response =
        client().withHeader("Authorization", "Bearer " + token).get("/metrics");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    return PrometheusText.parse(response.body());
  }

  @Test
  void should_report_the_ends_the_loop_and_the_pools_of_the_scheduler() throws Exception {
    awaitFinished("fine");
    awaitFinished("failing");

    PrometheusText text = scrape();

    assertThat(
            text.value(
                "weir_task_instance_ends_total", Map.of("dag", "failing", "state", "failed")))
        .contains(1.0);
    assertThat(
            text.value("weir_task_instance_ends_total", Map.of("dag", "fine", "state", "success")))
        .contains(1.0);
    assertThat(text.type("weir_task_duration_seconds")).contains("histogram");
    assertThat(
            text.value(
                "weir_task_duration_seconds_bucket",
                Map.of("dag", "fine", "task", "work", "state", "success", "le", "+Inf")))
        .contains(1.0);
    assertThat(text.value("weir_dag_run_ends_total", Map.of("dag", "failing", "state", "failed")))
        .contains(1.0);
    assertThat(text.value("weir_dag_run_ends_total", Map.of("dag", "fine", "state", "success")))
        .contains(1.0);
    assertThat(text.value("weir_scheduler_loop_duration_seconds_count"))
        .hasValueSatisfying(count -> assertThat(count).isPositive());
    assertThat(text.value("weir_pool_slots", Map.of("pool", "default_pool")))
        .hasValueSatisfying(slots -> assertThat(slots).isPositive());
    assertThat(text.value("weir_pool_slots_used", Map.of("pool", "default_pool"))).isPresent();
    assertThat(text.value("weir_dag_runs", Map.of("state", "running"))).isPresent();
  }

  @Test
  void should_report_the_dags_folder_and_the_jvm() {
    PrometheusText text = scrape();

    assertThat(text.value("weir_dag_import_errors")).as("syntax.groovy").contains(1.0);
    assertThat(text.value("weir_dags")).contains(2.0);
    assertThat(text.value("weir_dag_parse_duration_seconds_count"))
        .hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(1.0));
    assertThat(text.value("jvm_threads_live_threads")).isPresent();
    assertThat(text.value("weir_notifier_failures_total", Map.of("notifier", "email")))
        .contains(0.0);
  }

  @Test
  void should_refuse_metrics_without_a_token_and_serve_a_viewer() {
    HttpResponse<String> anonymous = client().get("/metrics");
    HttpResponse<String> wrongToken =
        client().withHeader("Authorization", "Bearer not-a-token").get("/metrics");
    HttpResponse<String> viewer =
        client().withHeader("Authorization", "Bearer " + token).get("/metrics");

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("log in first");
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    assertThat(viewer.statusCode()).isEqualTo(200);
    assertThat(viewer.body()).contains("weir_dags ");
  }

  @Test
  void should_answer_openmetrics_when_prometheus_asks_for_it() {
    HttpResponse<String> response =
        client()
            .withHeader("Authorization", "Bearer " + token)
            .withHeader(
                "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
            .get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(response.body()).endsWith("# EOF\n");
  }

  @Test
  void should_report_a_live_scheduler_and_its_worker_as_healthy() throws Exception {
    JsonNode health = awaitWorker();

    assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("healthy");
    assertThat(health.get("metadatabase").get("status").asText()).isEqualTo("healthy");
    assertThat(health.get("scheduler").get("status").asText()).isEqualTo("healthy");
    assertThat(health.get("scheduler").get("latest_heartbeat").asText()).isNotEmpty();
    assertThat(health.get("reasons")).isEmpty();
    JsonNode worker = health.get("workers").get(0);
    assertThat(worker.get("slots").asInt()).isEqualTo(4);
    assertThat(worker.get("running").asInt()).isBetween(0, 4);
    assertThat(worker.get("status").asText()).isEqualTo("healthy");
    assertThat(worker.get("hostname").asText()).isNotEmpty();
    assertThat(worker.get("latest_heartbeat").asText()).isNotEmpty();
  }

  /** Waits, up to a minute, for the worker's first heartbeat; answers /health then. */
  private JsonNode awaitWorker() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = client().get("/health");
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode health = WebServer.JSON.readTree(response.body());
      if (health.get("workers").size() > 0) {
        return health;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no worker heartbeat within a minute");
  }

  /** Waits, up to a minute, for the DAG's first run to finish. */
  private DagRunRow awaitFinished(String dagId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      List<DagRunRow> runs = daemon.store().runs(dagId, null, 10);
      if (!runs.isEmpty() && runs.get(0).state().isFinished()) {
        return runs.get(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no run of " + dagId + " finished within a minute");
  }
}
