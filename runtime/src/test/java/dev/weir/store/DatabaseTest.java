package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.Settings;
import dev.weir.config.Settings.SettingsException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

  @TempDir Path home;

  private Settings settings(String... keysAndValues) {
    Map<String, String> environment = new HashMap<>();
    environment.put("WEIR_HOME", home.toString());
    for (int i = 0; i < keysAndValues.length; i += 2) {
      environment.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Settings.load(environment);
  }

  @Test
  void should_default_to_an_h2_file_in_the_home_folder_written_on_every_commit() throws Exception {
    try (Database database = Database.open(settings())) {
      assertThat(database.url())
          .isEqualTo("jdbc:h2:file:" + home.resolve("weir") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
      assertThat(home.resolve("weir.mv.db")).exists();
      try (Connection c = database.dataSource().getConnection();
          Statement statement = c.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                      + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("0");
        c.rollback();
      }
    }
  }

  @Test
  void should_protect_the_embedded_database_with_a_password_only_the_owner_can_read()
      throws Exception {
    try (Database database = Database.open(settings())) {
      Path secret = home.resolve("db.secret");
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(secret)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(secret).strip()).hasSize(48);
      String url = "jdbc:h2:file:" + home.resolve("weir") + ";AUTO_SERVER=TRUE";
      assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, "sa", "").close())
          .isInstanceOf(java.sql.SQLException.class)
          .hasMessageContaining("Wrong user name or password");
    }
    // A second open (another process, or a restart) uses the same password.
    try (Database again = Database.open(settings())) {
      assertThat(again.url()).contains("weir");
    }
  }

  @Test
  void should_create_the_home_folder_it_needs() {
    Path missing = home.resolve("new/home");

    try (Database database =
        Database.open(Settings.load(Map.of("WEIR_HOME", missing.toString())))) {
      assertThat(missing.resolve("weir.mv.db")).exists();
    }
  }

  @Test
  void should_name_the_setting_of_an_unsupported_database_without_its_password() {
    assertThatThrownBy(
            () -> Database.open(settings("WEIR_DB_URL", "jdbc:mysql://db/weir?password=s3cret")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("db.url (WEIR_DB_URL)")
        .hasMessageContaining("jdbc:postgresql:")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void should_name_the_setting_of_a_pool_size_that_is_not_a_positive_number() {
    assertThatThrownBy(() -> Database.open(settings("WEIR_DB_POOL_SIZE", "0")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("db.pool-size")
        .hasMessageContaining("'0'");
  }

  @Test
  void should_say_which_database_it_cannot_reach() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://localhost:" + port + "/weir?password=s3cret";

    assertThatThrownBy(() -> Database.open(settings("WEIR_DB_URL", url)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(
            "cannot connect to the metadata database jdbc:postgresql://localhost:")
        .hasMessageContaining("db.url")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void should_report_pending_migrations_until_they_are_applied() {
    try (Database database = Database.connect(settings())) {
      SchemaStatus before = database.check();
      assertThat(before.upToDate()).isFalse();
      assertThat(before.currentVersion()).isEmpty();
      // Every shipped migration is pending, the first being the metadata schema.
      assertThat(before.pending()).hasSize(Migrations.count());
      assertThat(before.pending().get(0))
          .extracting(SchemaStatus.Migration::version, SchemaStatus.Migration::description)
          .containsExactly("1", "metadata");

      assertThat(database.migrate()).isEqualTo(Migrations.count());

      SchemaStatus after = database.check();
      assertThat(after.upToDate()).isTrue();
      assertThat(after.currentVersion()).contains(Migrations.latest());
      assertThat(after.migrations()).hasSize(Migrations.count());
      assertThat(after.migrations())
          .allSatisfy(
              migration -> {
                assertThat(migration.state()).isEqualTo(SchemaStatus.State.APPLIED);
                assertThat(migration.installedOn()).isNotNull();
              });
      assertThat(database.migrate()).isZero();
    }
  }

  @Test
  void should_let_a_second_pool_use_the_file_while_the_first_holds_it() {
    try (MetadataStore first = new JdbcMetadataStore(Database.open(settings()))) {
      long versionId =
          first.saveVersion("etl", "a".repeat(64), null, "dags/etl.groovy", "dag etl", T0);

      try (MetadataStore second = new JdbcMetadataStore(Database.open(settings()))) {
        assertThat(second.version(versionId).orElseThrow().source()).isEqualTo("dag etl");
        second.savePool(new PoolRow("gpu", 2, "GPUs"));
      }

      assertThat(first.pools()).extracting(PoolRow::name).contains("gpu");
    }
  }

  @Test
  void should_let_another_process_use_the_file_while_this_one_holds_it() throws Exception {
    try (MetadataStore store = new JdbcMetadataStore(Database.open(settings()))) {
      long versionId =
          store.saveVersion("etl", "a".repeat(64), null, "dags/etl.groovy", "dag etl", T0);

      Process child = child("read", home.toString(), Long.toString(versionId));
      List<String> lines = lines(child);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(child.exitValue()).as("child stderr: %s", childErrors()).isZero();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).isEqualTo("dag etl");
      assertThat(store.command(Long.parseLong(lines.get(1))).orElseThrow().kind())
          .isEqualTo("from-child");
    }
  }

  @Test
  void should_keep_every_committed_transaction_of_a_killed_process() throws Exception {
    Process child = child("post", home.toString());
    List<Long> committed = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (committed.size() < 200 && (line = out.readLine()) != null) {
        committed.add(Long.parseLong(line));
      }
      // SIGKILL: no shutdown hook, no close; only what each commit wrote survives.
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(committed).as("ids the child printed; stderr: %s", childErrors()).hasSize(200);

    try (MetadataStore store = new JdbcMetadataStore(Database.open(settings()))) {
      assertThat(store.pendingCommands()).extracting(CommandRow::id).containsAll(committed);
    }
  }

  private Process child(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StoreChild.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(home.resolve("child.err").toFile()).start();
  }

  private String childErrors() throws Exception {
    return Files.readString(home.resolve("child.err"));
  }

  private static List<String> lines(Process process) throws Exception {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return output.lines().toList();
  }

  @Test
  void should_agree_on_one_password_when_processes_create_a_home_at_once() throws Exception {
    Path raced = home.resolve("raced-home");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<String>> passwords = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        passwords.add(
            pool.submit(
                () -> {
                  start.await();
                  return Database.localPassword(raced);
                }));
      }
      start.countDown();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (java.util.concurrent.Future<String> password : passwords) {
        seen.add(password.get());
      }
      assertThat(seen).hasSize(1);
      assertThat(Files.readString(raced.resolve("db.secret")).strip())
          .isEqualTo(seen.iterator().next());
      try (java.util.stream.Stream<Path> files = Files.list(raced)) {
        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly("db.secret");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
