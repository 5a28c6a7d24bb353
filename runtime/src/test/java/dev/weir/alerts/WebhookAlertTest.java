package dev.weir.alerts;

import static dev.weir.alerts.AlertFixture.instance;
import static dev.weir.alerts.AlertFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.Callbacks;
import dev.weir.model.DagSpec;
import dev.weir.state.TaskState;
import dev.weir.store.NewAlert;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook notifiers against a real HTTP server on a local port. */
class WebhookAlertTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private AlertFixture fixture;
  private HttpServer server;
  private ExecutorService handlers;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch okReceived = new CountDownLatch(1);
  private final CountDownLatch releaseHanging = new CountDownLatch(1);

  @BeforeEach
  void setUp() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers); // a hanging request must not hold the others
    server.createContext(
        "/hook",
        exchange -> {
          requests.incrementAndGet();
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          answer(exchange, failuresLeft.getAndDecrement() > 0 ? 500 : 200);
        });
    server.createContext(
        "/ok",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          answer(exchange, 200);
          okReceived.countDown();
        });
    server.createContext(
        "/hang",
        exchange -> {
          try {
            releaseHanging.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(exchange, 200);
        });
    server.start();
    fixture = new AlertFixture(home).set("WEIR_ALERTS_WEBHOOK_TIMEOUT", "1s");
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    releaseHanging.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    byte[] body = (status == 200 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void should_post_a_slack_compatible_json_message_of_a_run_failure() throws Exception {
    fixture.set(
        "WEIR_CONN_HOOKS",
        "{\"conn_type\": \"slack\", \"extra\": {\"webhook_url\": \"" + url("/hook") + "\"}}");
    Callback webhook = new Callback.Webhook("hooks", null);
    fixture.dag(
        DagSpec.builder("daily_sales")
            .task(task("load", CallbackEvent.TASK_FAILURE))
            .runCallbacks(new Callbacks(Map.of(CallbackEvent.RUN_FAILURE, List.of(webhook))))
            .build());
    long run =
        fixture.run(
            "daily_sales",
            "manual__<1>",
            instance("load", TaskState.FAILED),
            instance("report", TaskState.UPSTREAM_FAILED),
            instance("extract", TaskState.SUCCESS));
    long alert =
        fixture.alert(
            NewAlert.ofRun(run, CallbackEvent.RUN_FAILURE, "load failed", AlertFixture.LOGICAL));

    fixture.start();

    assertThat(fixture.outcome(alert)).isEqualTo("sent");
    assertThat(bodies).hasSize(1);
    JsonNode body = JSON.readTree(bodies.get(0));
    assertThat(body.get("text").asText())
        .startsWith("Run manual__&lt;1&gt; of DAG daily_sales failed.")
        .contains("Failed tasks (1):\n- load\n")
        .contains("Run: https://weir.example.org/dags/daily_sales/graph?run_id=manual__%3C1%3E");
    JsonNode weir = body.get("weir");
    assertThat(weir.get("event").asText()).isEqualTo("run_failure");
    assertThat(weir.get("dag_id").asText()).isEqualTo("daily_sales");
    assertThat(weir.get("run_id").asText()).isEqualTo("manual__<1>");
    assertThat(weir.get("failed_tasks").toString()).isEqualTo("[\"load\"]");
    assertThat(weir.get("alerts").get(0).get("state").asText()).isEqualTo("failed");
    assertThat(weir.get("alerts").get(0).get("error").asText()).isEqualTo("load failed");
  }

  @Test
  void should_deliver_on_the_third_try_after_two_server_errors() throws Exception {
    failuresLeft.set(2);
    long alert = taskFailure("etl", url("/hook"));

    fixture.start();

    assertThat(fixture.outcome(alert)).isEqualTo("sent");
    assertThat(requests.get()).isEqualTo(3);
    assertThat(fixture.failures("webhook")).isZero();
  }

  @Test
  void should_give_up_after_every_try_failed_and_count_it() throws Exception {
    failuresLeft.set(Integer.MAX_VALUE);
    long alert = taskFailure("etl", url("/hook"));

    fixture.start();

    assertThat(fixture.outcome(alert))
        .startsWith("failed: webhook http://127.0.0.1:")
        .contains("after 3 tries: answered 500: no");
    assertThat(requests.get()).isEqualTo(3);
    assertThat(fixture.failures("webhook")).isEqualTo(1);
  }

  @Test
  void should_deliver_another_dags_alert_while_a_webhook_hangs() throws Exception {
    fixture.set("WEIR_ALERTS_RETRIES", "1");
    long hanging = taskFailure("slow", url("/hang"));
    long other = taskFailure("fast", url("/ok"));

    fixture.start();

    assertThat(okReceived.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(fixture.store.alertOutcome(hanging)).isEmpty();
    assertThat(fixture.outcome(other)).isEqualTo("sent");
    assertThat(fixture.outcome(hanging)).endsWith("after 1 tries: timed out");
    assertThat(fixture.failures("webhook")).isEqualTo(1);
  }

  private long taskFailure(String dagId, String url) {
    fixture.dag(
        DagSpec.builder(dagId)
            .task(task("load", CallbackEvent.TASK_FAILURE, new Callback.Webhook(null, url)))
            .build());
    long run = fixture.run(dagId, "manual__1");
    return fixture.alert(run, CallbackEvent.TASK_FAILURE, "load", 1, "boom");
  }
}
