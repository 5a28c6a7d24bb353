package dev.weir.alerts;

import static dev.weir.alerts.AlertFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.DagSpec;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Email notifiers through a real SMTP server (GreenMail) on a local port. */
class EmailAlertTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

  @TempDir Path home;
  private AlertFixture fixture;

  @BeforeEach
  void setUp() {
    smtp.setUser("weir@example.org", "weir", "mail-s3cret");
    fixture =
        new AlertFixture(home)
            .set(
                "WEIR_CONN_MAIL",
                "{\"conn_type\": \"smtp\", \"host\": \"127.0.0.1\", \"port\": "
                    + smtp.getSmtp().getPort()
                    + ", \"login\": \"weir\", \"password\": \"mail-s3cret\","
                    + " \"extra\": {\"from\": \"Weir <weir@example.org>\"}}");
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  @Test
  void should_email_a_task_failure_with_its_error_log_lines_and_link() throws Exception {
    Callback email =
        new Callback.Email(List.of("oncall@example.org", "lead@example.org"), null, "mail");
    fixture.dag(
        DagSpec.builder("daily_sales")
            .task(task("load", CallbackEvent.TASK_FAILURE, email))
            .build());
    String runId = AlertFixture.runId(AlertFixture.LOGICAL);
    long run = fixture.run("daily_sales", runId);
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      lines.add("line " + i);
    }
    lines.add("connecting with password mail-s3cret");
    fixture.log("daily_sales", runId, "load", 3, lines.toArray(String[]::new));
    long alert =
        fixture.alert(
            run, CallbackEvent.TASK_FAILURE, "load", 3, "relation \"sales\" does not exist");

    fixture.start();

    assertThat(fixture.outcome(alert)).isEqualTo("sent");
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(2); // one delivery per recipient
    MimeMessage message = received[0];
    assertThat(message.getSubject())
        .isEqualTo("[weir] task_failure: daily_sales.load (try 3) in " + runId);
    assertThat(message.getRecipients(Message.RecipientType.TO))
        .extracting(Object::toString)
        .containsExactly("oncall@example.org", "lead@example.org");
    String body = GreenMailUtil.getBody(message);
    assertThat(body)
        .contains("daily_sales", runId)
        .containsPattern("Task: +load\\R")
        .containsPattern("Try: +3\\R")
        .contains("relation \"sales\" does not exist")
        .contains("line 12", "line 30") // the last 20 lines of 31
        .doesNotContain("line 11\r\n", "mail-s3cret")
        .contains("connecting with password ***")
        .contains(
            "https://weir.example.org/dags/daily_sales/runs/scheduled__2025-01-01T03%3A00%3A00%2B00%3A00/tasks/load?try=3");
  }

  @Test
  void should_render_the_subject_template_and_use_the_smtp_settings_without_a_connection()
      throws Exception {
    fixture
        .set("WEIR_SMTP_HOST", "127.0.0.1")
        .set("WEIR_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()))
        .set("WEIR_SMTP_USER", "weir")
        .set("WEIR_SMTP_PASSWORD", "mail-s3cret")
        .set("WEIR_SMTP_FROM", "alerts@example.org");
    Callback email =
        new Callback.Email(
            List.of("oncall@example.org"),
            "{{ dag_id }} {{ event }} on {{ ds }}: {{ error }}",
            null);
    fixture.dag(
        DagSpec.builder("daily_sales").task(task("load", CallbackEvent.TASK_RETRY, email)).build());
    long run = fixture.run("daily_sales", AlertFixture.runId(AlertFixture.LOGICAL));
    long alert = fixture.alert(run, CallbackEvent.TASK_RETRY, "load", 1, "timeout\nat line 3");

    fixture.start();

    assertThat(fixture.outcome(alert)).isEqualTo("sent");
    MimeMessage message = smtp.getReceivedMessages()[0];
    assertThat(message.getSubject()).isEqualTo("daily_sales task_retry on 2025-01-01: timeout …");
    assertThat(message.getFrom()[0].toString()).isEqualTo("alerts@example.org");
  }

  @Test
  void should_send_at_most_the_limit_of_messages_for_a_storm_of_failures_in_one_run()
      throws Exception {
    fixture.set("WEIR_ALERTS_MAX_MESSAGES_PER_RUN", "3").set("WEIR_ALERTS_BATCH_SIZE", "50");
    Callback email = new Callback.Email(List.of("oncall@example.org"), null, "mail");
    DagSpec.Builder dag = DagSpec.builder("wide");
    for (int i = 0; i < 500; i++) {
      dag.task(task("t" + i, CallbackEvent.TASK_FAILURE, email));
    }
    fixture.dag(dag.build());
    long run = fixture.run("wide", AlertFixture.runId(AlertFixture.LOGICAL));
    List<Long> alerts = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      alerts.add(fixture.alert(run, CallbackEvent.TASK_FAILURE, "t" + i, 1, "boom " + i));
    }

    fixture.start();

    List<String> outcomes = new ArrayList<>();
    for (long alert : alerts) {
      outcomes.add(fixture.outcome(alert));
    }
    assertThat(smtp.getReceivedMessages()).hasSize(3);
    assertThat(outcomes.stream().filter("sent"::equals)).hasSize(150); // 3 groups of 50
    assertThat(outcomes.stream().filter(o -> o.startsWith("suppressed: "))).hasSize(350);
    String first = GreenMailUtil.getBody(smtp.getReceivedMessages()[0]);
    assertThat(smtp.getReceivedMessages()[0].getSubject())
        .isEqualTo(
            "[weir] task_failure: 50 tasks of wide in " + AlertFixture.runId(AlertFixture.LOGICAL));
    assertThat(first)
        .contains("50 tasks failed in run", "t0, t1, t2", "t19 and 30 more", "boom 0")
        .doesNotContain("t20 (try");
    assertThat(fixture.meters.find("weir.alerts.suppressed").counter().count()).isEqualTo(350);
  }

  @Test
  void should_group_pending_failures_into_one_message_per_run() throws Exception {
    Callback email = new Callback.Email(List.of("oncall@example.org"), null, "mail");
    fixture.dag(
        DagSpec.builder("etl")
            .task(task("a", CallbackEvent.TASK_FAILURE, email))
            .task(task("b", CallbackEvent.TASK_FAILURE, email))
            .task(task("c", CallbackEvent.TASK_FAILURE, email))
            .build());
    long first = fixture.run("etl", "manual__1");
    long second = fixture.run("etl", "manual__2");
    List<Long> alerts = new ArrayList<>();
    for (String taskId : List.of("a", "b", "c")) {
      alerts.add(fixture.alert(first, CallbackEvent.TASK_FAILURE, taskId, 1, "no"));
    }
    alerts.add(fixture.alert(second, CallbackEvent.TASK_FAILURE, "a", 2, "no"));

    fixture.start();

    for (long alert : alerts) {
      assertThat(fixture.outcome(alert)).isEqualTo("sent");
    }
    assertThat(smtp.getReceivedMessages())
        .extracting(MimeMessage::getSubject)
        .containsExactlyInAnyOrder(
            "[weir] task_failure: 3 tasks of etl in manual__1",
            "[weir] task_failure: etl.a (try 2) in manual__2");
  }
}
