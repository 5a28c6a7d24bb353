package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.weir.cli.Main;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir dags test} runs sql, sqlToSql and email tasks whose connections come from {@code
 * WEIR_CONN_*}: real H2 databases on disk and a real SMTP server, and the password stays out of the
 * output.
 */
class ConnectionOperatorsCliTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

  @TempDir Path root;

  @Test
  void should_query_copy_and_mail_through_environment_connections() throws Exception {
    smtp.setUser("weir@example.org", "weir", "mail-s3cret");
    Path source = root.resolve("source");
    try (var c = DriverManager.getConnection("jdbc:h2:" + source, "sa", "db-s3cret");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE sales (sale_day VARCHAR(10), amount INT)");
      s.execute("INSERT INTO sales VALUES ('2025-03-01', 5), ('2025-03-01', 7), ('2025-02-28', 1)");
    }
    Path target = root.resolve("target");
    Path dags = Files.createDirectories(root.resolve("dags"));
    Files.writeString(
        dags.resolve("etl.groovy"),
        """
        dag('etl') {
            schedule '@daily'
            startDate '2025-01-01'
            def prepare = sql('prepare') { conn 'target'; statement 'CREATE TABLE IF NOT EXISTS daily (sale_day VARCHAR(10), amount INT)' }
            def copy = sqlToSql('copy') {
                source 'source'
                query "select sale_day, amount from sales where sale_day = '{{ ds }}'"
                target 'target'
                table 'daily'
                preSql "delete from daily where sale_day = '{{ ds }}'"
            }
            def total = sql('total') { conn 'target'; statement "select sum(amount) as total from daily where sale_day = '{{ ds }}'" }
            def mail = email('mail') {
                conn 'smtp'
                to 'ana@example.org'
                subject 'Sales of {{ ds }}'
                body 'Total {{ xcom.total.0.TOTAL }}, copied {{ xcom.copy }} rows'
            }
            prepare >> copy >> total >> mail
        }
        """);
    Map<String, String> env =
        Map.of(
            "WEIR_HOME", root.resolve("home").toString(),
            "WEIR_DAGS_FOLDER", dags.toString(),
            "WEIR_CONN_SOURCE",
                "{\"conn_type\": \"h2\", \"schema\": \""
                    + source
                    + "\", \"login\": \"sa\","
                    + " \"password\": \"db-s3cret\"}",
            "WEIR_CONN_TARGET", "{\"conn_type\": \"h2\", \"schema\": \"" + target + "\"}",
            "WEIR_CONN_SMTP",
                "smtp://weir:mail-s3cret@127.0.0.1:"
                    + smtp.getSmtp().getPort()
                    + "?from=weir%40example.org");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        Main.run(
            new String[] {"dags", "test", "etl", "2025-03-01"},
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            env);

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString() + err).doesNotContain("db-s3cret").doesNotContain("mail-s3cret");
    try (var c = DriverManager.getConnection("jdbc:h2:" + target, "", "");
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT COUNT(*), SUM(amount) FROM daily")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(2);
      assertThat(rows.getInt(2)).isEqualTo(12);
    }
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(received[0].getSubject()).isEqualTo("Sales of 2025-03-01");
    assertThat(received[0].getContent().toString().strip()).isEqualTo("Total 12, copied 2 rows");
  }
}
