package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.weir.state.TaskState;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The email operator through a real SMTP server (GreenMail) on a local port. */
class EmailOperatorTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

  @TempDir Path root;
  private OperatorHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new OperatorHarness(root);
    smtp.setUser("weir@example.org", "weir", "s3cret");
    harness.connection(
        "smtp",
        "smtp",
        "127.0.0.1",
        smtp.getSmtp().getPort(),
        null,
        "weir",
        "s3cret",
        Map.of("from", "Weir <weir@example.org>"));
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void should_send_a_rendered_html_message_to_every_recipient() throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask(
            """
            email('t') {
                conn 'smtp'
                to 'ana@example.org', 'bo@example.org'
                cc 'lead@example.org'
                subject 'Sales of {{ ds }}'
                body '<h1>Report for {{ ds }}</h1>'
                html true
            }
            """);

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(3); // one copy per recipient mailbox
    MimeMessage message = received[0];
    assertThat(message.getSubject()).isEqualTo("Sales of 2025-03-01");
    assertThat(message.getFrom()[0].toString()).isEqualTo("Weir <weir@example.org>");
    assertThat(message.getRecipients(Message.RecipientType.TO))
        .extracting(Object::toString)
        .containsExactly("ana@example.org", "bo@example.org");
    assertThat(message.getContentType()).startsWith("text/html");
    assertThat(GreenMailUtil.getBody(message)).isEqualTo("<h1>Report for 2025-03-01</h1>");
    assertThat(message.getSentDate().toInstant()).isEqualTo(OperatorHarness.CLOCK.instant());
    assertThat(ran.result()).isEqualTo(message.getMessageID());
    assertThat(ran.rendered())
        .containsExactly(
            Map.entry("to", "ana@example.org, bo@example.org"),
            Map.entry("cc", "lead@example.org"),
            Map.entry("subject", "Sales of 2025-03-01"),
            Map.entry("body", "<h1>Report for 2025-03-01</h1>"));
  }

  @Test
  void should_fail_naming_the_connection_when_the_login_is_refused() throws Exception {
    harness.connection(
        "smtp",
        "smtp",
        "127.0.0.1",
        smtp.getSmtp().getPort(),
        null,
        "weir",
        "wrong",
        Map.of("from", "weir@example.org"));

    OperatorHarness.Ran ran =
        harness.runTask("email('t') { conn 'smtp'; to 'ana@example.org'; subject 'x'; body 'y' }");

    assertThat(ran.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(ran.outcome().error()).startsWith("sending through connection 'smtp' failed: ");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }
}
