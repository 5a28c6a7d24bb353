package dev.weir.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.weir.config.Settings;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.model.CallbackEvent;
import dev.weir.scheduler.SchedulerDaemon;
import dev.weir.state.RunState;
import dev.weir.store.AlertRow;
import dev.weir.store.DagRunRow;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DAG script's callbacks, end to end: a real scheduler runs a task that fails, and its email
 * reaches a real SMTP server and its run's webhook a real HTTP server.
 */
class AlertsDaemonTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private HttpServer hooks;
  private final BlockingQueue<String> posted = new LinkedBlockingQueue<>();

  @BeforeEach
  void startWebhookReceiver() throws IOException {
    hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hooks.createContext(
        "/hook",
        exchange -> {
          posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    hooks.start();
  }

  @AfterEach
  void stopWebhookReceiver() {
    hooks.stop(0);
  }

  @Test
  void should_email_a_failed_task_and_post_the_failed_run_from_a_script_s_callbacks()
      throws Exception {
    Path dags = Files.createDirectories(temp.resolve("dags"));
    Path marker = temp.resolve("succeeded.txt");
    Files.writeString(
        dags.resolve("nightly.groovy"),
        """
        dag('nightly') {
          schedule '@once'; startDate '2025-01-01'; pausedAtCreation false
          onFailure webhook(url: 'http://127.0.0.1:%d/hook')
          defaults {
            onFailure email(to: 'oncall@example.org')
            onSuccess { ctx -> new File('%s').text = ctx.taskId + ' ' + ctx.event }
          }
          def extract = task('extract') { 1 }
          def load = bash('load') {
            command 'echo "loading sales"; echo "relation sales does not exist" >&2; exit 3'
          }
          extract >> load
        }
        """
            .formatted(hooks.getAddress().getPort(), marker.toString().replace("\\", "/")));
    Map<String, String> env = new HashMap<>();
    env.put("WEIR_HOME", temp.resolve("home").toString());
    env.put("WEIR_SMTP_HOST", "127.0.0.1");
    env.put("WEIR_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()));
    env.put("WEIR_SMTP_FROM", "weir@example.org");
    env.put("WEIR_WEB_BASE_URL", "https://weir.example.org");

    try (SchedulerDaemon daemon =
        new SchedulerDaemon(
            Settings.load(env),
            new SchedulerDaemon.Options(
                dags, 2, Duration.ofMillis(100), Duration.ofSeconds(2), DagBagOptions.defaults()),
            Clock.systemUTC())) {
      daemon.start();

      assertThat(smtp.waitForIncomingEmail(30_000, 1)).as("an email arrives").isTrue();
      MimeMessage email = smtp.getReceivedMessages()[0];
      assertThat(email.getSubject()).contains("task_failure", "nightly.load", "try 1");
      String body = GreenMailUtil.getBody(email);
      assertThat(body)
          .contains(
              "nightly",
              "load",
              "exited with 3",
              "loading sales",
              "https://weir.example.org/dags/nightly/runs/");

      String hook = posted.poll(30, TimeUnit.SECONDS);
      assertThat(hook).as("the run's webhook arrives").isNotNull();
      JsonNode message = JSON.readTree(hook);
      assertThat(message.get("text").asText()).contains("nightly", "load");
      assertThat(message.get("weir").get("event").asText()).isEqualTo("run_failure");

      DagRunRow run = daemon.store().runs("nightly", null, 1).get(0);
      assertThat(run.state()).isEqualTo(RunState.FAILED);
      assertThat(Files.readString(marker)).isEqualTo("extract TASK_SUCCESS");
      List<AlertRow> alerts = daemon.store().alertsOfRun(run.id());
      assertThat(alerts)
          .extracting(AlertRow::event)
          .containsExactlyInAnyOrder(
              CallbackEvent.TASK_SUCCESS, CallbackEvent.TASK_FAILURE, CallbackEvent.RUN_FAILURE);
      for (AlertRow alert : alerts) {
        assertThat(awaitOutcome(daemon, alert.id())).as(alert.event().label()).isEqualTo("sent");
      }
    }
  }

  private static String awaitOutcome(SchedulerDaemon daemon, long alertId)
      throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      Optional<String> outcome = daemon.store().alertOutcome(alertId);
      if (outcome.isPresent()) {
        return outcome.get();
      }
      Thread.sleep(100);
    }
    return "still pending";
  }
}
