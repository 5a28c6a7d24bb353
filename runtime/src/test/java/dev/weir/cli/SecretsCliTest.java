package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.config.Settings;
import dev.weir.secrets.MasterKey;
import dev.weir.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir connections} and {@code weir variables}, and secrets reaching tasks, on H2. */
class SecretsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private Path home;
  private Path dags;
  private Map<String, String> env;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeDags() throws IOException {
    home = temp.resolve("home");
    dags = Files.createDirectories(temp.resolve("dags"));
    Files.writeString(
        dags.resolve("leaky.groovy"),
        """
        dag('leaky') {
            def echo = bash('echo') {
                command 'echo "password={{ conn.warehouse.password }} token={{ var.value.api_token }} region={{ var.value.region }}"'
            }
            def log = task('log') { ctx ->
                ctx.log.info('extra key {}', ctx.connection('warehouse').extra.api_key)
            }
            echo >> log
        }
        """);
    env = new HashMap<>();
    env.put("WEIR_HOME", home.toString());
    env.put("WEIR_DAGS_FOLDER", dags.toString());
    env.put("WEIR_SCHEDULER_DRAIN_GRACE", "1s");
  }

  private Result weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Result(code, out.toString(), err.toString());
  }

  private Result ok(String... args) {
    Result result = weir(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result;
  }

  private void addWarehouse() {
    ok(
        "connections",
        "add",
        "warehouse",
        "--conn-uri",
        "postgres://etl:S3cret%40pw@db.example.com:5432/sales?sslmode=require&api_key=ak-7777777",
        "--description",
        "The warehouse");
  }

  @Test
  void should_add_list_get_and_delete_connections_never_printing_the_password_unasked()
      throws Exception {
    Result add =
        weir(
            "connections",
            "add",
            "warehouse",
            "--conn-uri",
            "postgres://etl:S3cret%40pw@db.example.com:5432/sales?sslmode=require&api_key=ak-7777777",
            "--description",
            "The warehouse");
    assertThat(add.exitCode()).isZero();
    assertThat(add.out()).isEqualTo("Connection 'warehouse' added.\n");
    assertThat(add.err()).isEmpty();
    ok(
        "connections",
        "add",
        "api",
        "--conn-type",
        "http",
        "--conn-host",
        "api.example.com",
        "--conn-port",
        "443",
        "--conn-login",
        "bot",
        "--conn-password",
        "Api-Pa55",
        "--conn-extra",
        "{\"timeout\": 30}");

    Result list = ok("connections", "list");
    assertThat(list.out())
        .containsPattern("ID\\s+TYPE\\s+HOST\\s+PORT\\s+SCHEMA\\s+LOGIN\\s+PASSWORD\\s+DESCRIPTION")
        .containsPattern("api\\s+http\\s+api.example.com\\s+443\\s+bot\\s+\\*\\*\\*")
        .containsPattern(
            "warehouse\\s+postgres\\s+db.example.com\\s+5432\\s+sales\\s+etl\\s+\\*\\*\\*\\s+The warehouse")
        .doesNotContain("S3cret", "Api-Pa55", "ak-7777777");
    JsonNode listJson = JSON.readTree(ok("connections", "list", "-o", "json").out());
    assertThat(listJson).hasSize(2);
    assertThat(listJson.get(1).get("password").asText()).isEqualTo("***");

    Result get = ok("connections", "get", "warehouse");
    assertThat(get.out())
        .containsPattern("password\\s+\\*\\*\\*")
        .contains("{\"sslmode\":\"require\",\"api_key\":\"***\"}")
        .contains("postgres://etl:***@db.example.com:5432/sales?sslmode=require&api_key=***")
        .doesNotContain("S3cret", "ak-7777777");
    JsonNode shown =
        JSON.readTree(ok("connections", "get", "warehouse", "--show-secrets", "-o", "json").out());
    assertThat(shown.get("password").asText()).isEqualTo("S3cret@pw");
    assertThat(shown.get("extra").get("api_key").asText()).isEqualTo("ak-7777777");
    assertThat(shown.get("uri").asText())
        .isEqualTo(
            "postgres://etl:S3cret%40pw@db.example.com:5432/sales?sslmode=require&api_key=ak-7777777");
    assertThat(shown.get("description").asText()).isEqualTo("The warehouse");

    Result again = weir("connections", "add", "warehouse", "--conn-type", "http");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err())
        .isEqualTo(
            "weir: connection 'warehouse' exists already; delete it first with weir connections"
                + " delete warehouse\n");

    assertThat(ok("connections", "delete", "api").out()).isEqualTo("Connection 'api' deleted.\n");
    Result missing = weir("connections", "delete", "wearhouse");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "weir: no connection 'wearhouse'; did you mean 'warehouse'? (weir connections list"
                + " shows the stored ones)\n");
    assertThat(weir("connections", "get", "api").err()).startsWith("weir: no connection 'api'");
  }

  @Test
  void should_keep_the_password_out_of_the_database_file_and_the_table() throws Exception {
    addWarehouse();
    try (Database database = Database.open(Settings.load(env));
        Connection c = database.dataSource().getConnection();
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery("SELECT password, extra FROM connection")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("S3cret");
      assertThat(rs.getString(2)).startsWith("v1:").doesNotContain("ak-7777777");
      c.rollback();
    }
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve(MasterKey.FILE_NAME))))
        .isEqualTo("rw-------");
  }

  @Test
  void should_say_what_is_wrong_with_a_connection_given_on_the_command_line() {
    Result both = weir("connections", "add", "x", "--conn-uri", "http://h", "--conn-host", "h");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("weir: --conn-uri cannot be combined with --conn-host\n");
    Result none = weir("connections", "add", "x");
    assertThat(none.err())
        .isEqualTo(
            "weir: give the connection as --conn-uri URI, --conn-json JSON, or --conn-type TYPE"
                + " with the other --conn-… options\n");
    Result badUri = weir("connections", "add", "x", "--conn-uri", "pg://u:hunter22@h:99999");
    assertThat(badUri.exitCode()).isEqualTo(2);
    assertThat(badUri.err()).isEqualTo("weir: --conn-uri has port 99999; a port is 1 to 65535\n");
    Result badExtra = weir("connections", "add", "x", "--conn-type", "http", "--conn-extra", "[1]");
    assertThat(badExtra.err()).isEqualTo("weir: --conn-extra is not a JSON object\n");
    Result json =
        weir(
            "connections",
            "add",
            "j",
            "--conn-json",
            "{\"conn_type\": \"http\", \"host\": \"h\", \"password\": \"Json-Pa55\"}");
    assertThat(json.exitCode()).isZero();
    Result space = weir("connections", "add", "a b", "--conn-type", "http");
    assertThat(space.err())
        .isEqualTo("weir: connection id 'a b' contains a space or control character\n");
  }

  @Test
  void should_set_get_list_and_delete_variables() throws Exception {
    assertThat(ok("variables", "set", "region", "eu-west-1", "--description", "Where").out())
        .isEqualTo("Variable 'region' set.\n");
    assertThat(ok("variables", "set", "API_Token", "tok-123456").out())
        .isEqualTo("Variable 'API_Token' set (stored encrypted: its key looks secret).\n");

    assertThat(ok("variables", "get", "region").out()).isEqualTo("eu-west-1\n");
    Result hidden = ok("variables", "get", "API_Token");
    assertThat(hidden.out()).isEqualTo("***\n");
    assertThat(hidden.err())
        .isEqualTo("weir: note: variable 'API_Token' is secret; --show-secrets prints its value\n");
    assertThat(ok("variables", "get", "API_Token", "--show-secrets").out())
        .isEqualTo("tok-123456\n");
    JsonNode json = JSON.readTree(ok("variables", "get", "region", "-o", "json").out());
    assertThat(json.get("value").asText()).isEqualTo("eu-west-1");
    assertThat(json.get("encrypted").asBoolean()).isFalse();
    assertThat(json.get("description").asText()).isEqualTo("Where");

    Result list = ok("variables", "list");
    assertThat(list.out())
        .containsPattern("KEY\\s+VALUE\\s+ENCRYPTED\\s+DESCRIPTION")
        .containsPattern("API_Token\\s+\\*\\*\\*\\s+yes")
        .containsPattern("region\\s+eu-west-1\\s+no\\s+Where")
        .doesNotContain("tok-123456");
    assertThat(
            JSON.readTree(ok("variables", "list", "-o", "json").out()).get(0).get("value").asText())
        .isEqualTo("***");

    ok("variables", "set", "region", "us-east-1");
    assertThat(
            JSON.readTree(ok("variables", "get", "region", "-o", "json").out())
                .get("description")
                .asText())
        .as("kept")
        .isEqualTo("Where");

    assertThat(ok("variables", "delete", "region").out()).isEqualTo("Variable 'region' deleted.\n");
    Result missing = weir("variables", "get", "regoin");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo("weir: no variable 'regoin' (weir variables list shows the stored ones)\n");
    assertThat(weir("variables", "delete", "api_tokn").err())
        .startsWith("weir: no variable 'api_tokn'; did you mean 'API_Token'?");
  }

  @Test
  void should_export_secrets_to_a_private_file_and_import_them_again() throws Exception {
    ok("variables", "set", "db_password", "pw-123456", "--description", "Warehouse password");
    ok("variables", "set", "region", "eu-west-1");
    Path file = temp.resolve("vars.json");

    Result export = ok("variables", "export", file.toString());
    assertThat(export.out())
        .isEqualTo(
            "Exported 2 variable(s) to "
                + file
                + " (1 secret, in clear text; the file is readable by you only).\n");
    JsonNode exported = JSON.readTree(file.toFile());
    assertThat(exported.get("db_password").get("value").asText()).isEqualTo("pw-123456");
    assertThat(exported.get("db_password").get("description").asText())
        .isEqualTo("Warehouse password");
    assertThat(exported.get("region").asText()).isEqualTo("eu-west-1");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }

    Files.writeString(
        file,
        "{\"region\": \"us-east-1\", \"limits\": {\"rows\": 10}, \"n\": 3,"
            + " \"slack_token\": {\"value\": \"xoxb-1\", \"description\": \"Slack\"}}");
    assertThat(ok("variables", "import", file.toString()).out())
        .isEqualTo("Imported 4 variable(s) from " + file + " (1 stored encrypted).\n");
    assertThat(ok("variables", "get", "limits").out()).isEqualTo("{\"rows\":10}\n");
    assertThat(ok("variables", "get", "n").out()).isEqualTo("3\n");
    assertThat(ok("variables", "get", "region").out()).isEqualTo("us-east-1\n");
    assertThat(ok("variables", "get", "slack_token", "--show-secrets").out()).isEqualTo("xoxb-1\n");
    assertThat(ok("variables", "get", "db_password", "--show-secrets").out())
        .isEqualTo("pw-123456\n");

    Files.writeString(file, "[1, 2]");
    Result notObject = weir("variables", "import", file.toString());
    assertThat(notObject.exitCode()).isEqualTo(2);
    assertThat(notObject.err()).startsWith("weir: " + file + " is not a JSON object of variables");
    Result noFile = weir("variables", "import", temp.resolve("nope.json").toString());
    assertThat(noFile.err()).isEqualTo("weir: no file " + temp.resolve("nope.json") + "\n");
  }

  @Test
  void should_refuse_a_malformed_key_naming_the_variable_and_a_changed_key_naming_the_value() {
    ok("variables", "set", "db_password", "pw-123456");
    ok("connections", "add", "warehouse", "--conn-uri", "postgres://u:Pa55w0rd@h/db");

    env.put("WEIR_SECRET_KEY", "too-short");
    Result malformed = weir("variables", "get", "db_password", "--show-secrets");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err())
        .startsWith("weir: WEIR_SECRET_KEY ")
        .contains("expected the base64 of 32 random bytes")
        .doesNotContain("too-short");

    env.put("WEIR_SECRET_KEY", MasterKey.generate());
    Result changed = weir("variables", "get", "db_password", "--show-secrets");
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.err())
        .startsWith(
            "weir: cannot decrypt variable 'db_password': the secret key changed since it was"
                + " stored (the key now comes from WEIR_SECRET_KEY)");
    assertThat(weir("connections", "get", "warehouse").err())
        .startsWith("weir: cannot decrypt the password of connection 'warehouse': the secret key");
    assertThat(weir("variables", "export", temp.resolve("v.json").toString()).err())
        .startsWith("weir: cannot decrypt variable 'db_password'");
    assertThat(temp.resolve("v.json")).doesNotExist();
    assertThat(ok("connections", "list").out()).contains("warehouse");
  }

  @Test
  void should_note_an_environment_variable_that_overrides_the_stored_value() {
    env.put("WEIR_CONN_WAREHOUSE", "postgres://u:p@h/db");
    Result add = weir("connections", "add", "warehouse", "--conn-type", "postgres");
    assertThat(add.exitCode()).isZero();
    assertThat(add.err())
        .isEqualTo(
            "weir: note: WEIR_CONN_WAREHOUSE is set in this environment; tasks started with it"
                + " use that, not the stored connection\n");
  }

  @Test
  void should_mask_secrets_of_store_and_environment_in_dags_test() {
    addWarehouse();
    ok("variables", "set", "region", "eu-west-1");
    env.put("WEIR_VAR_API_TOKEN", "env-token-123");

    Result test = weir("dags", "test", "leaky", "2025-03-01");

    assertThat(test.exitCode()).as(test.err()).isZero();
    assertThat(test.out())
        .contains("[echo] password=*** token=*** region=eu-west-1")
        .contains("[log] ", "extra key ***")
        .doesNotContain("S3cret", "env-token-123", "ak-7777777");
  }

  @Test
  void should_test_with_the_environment_alone_and_create_no_database() {
    env.put("WEIR_CONN_WAREHOUSE", "postgres://u:Env-Pa55@h/db?api_key=env-ak-123");
    env.put("WEIR_VAR_API_TOKEN", "env-token-123");
    env.put("WEIR_VAR_REGION", "eu-central-1");

    Result test = weir("dags", "test", "leaky", "2025-03-01");

    assertThat(test.exitCode()).as(test.err()).isZero();
    assertThat(test.out())
        .contains("[echo] password=*** token=*** region=eu-central-1", "extra key ***")
        .doesNotContain("Env-Pa55", "env-token-123", "env-ak-123");
    assertThat(home.resolve("weir.mv.db")).doesNotExist();
    assertThat(home.resolve(MasterKey.FILE_NAME)).doesNotExist();

    env.remove("WEIR_CONN_WAREHOUSE");
    Result missing = weir("dags", "test", "leaky", "2025-03-01");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out())
        .contains(
            "no connection 'warehouse': add it with weir connections add warehouse --conn-uri"
                + " TYPE://LOGIN:PASSWORD@HOST:PORT/SCHEMA, or set WEIR_CONN_WAREHOUSE");
  }

  @Test
  void should_mask_a_stored_password_in_the_log_file_of_a_scheduled_task() throws Exception {
    addWarehouse();
    ok("variables", "set", "api_token", "tok-ABCDEF123");
    ok("variables", "set", "region", "eu-west-1");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread scheduler =
        new Thread(
            () ->
                Main.run(
                    new String[] {"scheduler"},
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    env),
            "test-scheduler");
    scheduler.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.toString().contains("running") && scheduler.isAlive()) {
        assertThat(System.nanoTime()).as("scheduler start: " + err).isLessThan(deadline);
        Thread.sleep(50);
      }
      ok("dags", "unpause", "leaky");
      ok("dags", "trigger", "leaky");
      Path logs = home.resolve("logs").resolve("leaky");
      String echoLog = null;
      String logLog = null;
      while (logLog == null || !logLog.contains("Task ended")) {
        assertThat(System.nanoTime()).as("the run ends: " + err).isLessThan(deadline);
        Thread.sleep(100);
        echoLog = read(logs, "echo");
        logLog = read(logs, "log");
      }
      assertThat(echoLog)
          .contains("password=*** token=*** region=eu-west-1")
          .doesNotContain("S3cret", "tok-ABCDEF123");
      assertThat(logLog).contains("extra key ***").doesNotContain("ak-7777777");
    } finally {
      scheduler.interrupt();
      scheduler.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(scheduler.isAlive()).isFalse();
  }

  /** The text of a task's first try log in any run, or null while there is none. */
  private static String read(Path dagLogs, String taskId) throws IOException {
    if (!Files.isDirectory(dagLogs)) {
      return null;
    }
    try (Stream<Path> files = Files.walk(dagLogs)) {
      Path log = files.filter(p -> p.endsWith(Path.of(taskId, "1.log"))).findFirst().orElse(null);
      return log == null ? null : Files.readString(log);
    }
  }
}
