package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.Settings;
import dev.weir.state.TaskState;
import dev.weir.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real PostgreSQL: embedded, one server per class, one database per test.
 *
 * <p>The PostgreSQL driver sends the JVM's zone as the session's {@code TimeZone} when it connects,
 * overriding {@code options=-c TimeZone=…} and database or role defaults, so the sessions of the
 * contract run in the JVM's zone, Asia/Kolkata. One test sets a third zone on a session by hand.
 */
class PostgresMetadataStoreTest extends MetadataStoreContractTest {
  private static final String OTHER_ZONE = "America/New_York";

  private static TestPostgres postgres;

  private String url;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  protected Database openDatabase() throws Exception {
    url = postgres.url(postgres.newDatabase("weir_"));
    return Database.open(settings("10"));
  }

  private Settings settings(String poolSize) {
    return Settings.load(
        Map.of("WEIR_DB_URL", url, "WEIR_DB_USER", "postgres", "WEIR_DB_POOL_SIZE", poolSize));
  }

  @Test
  void should_run_sessions_in_the_jvms_zone_which_is_not_utc() throws Exception {
    assertThat(sessionZone(database)).isEqualTo(JVM_ZONE);
  }

  @Test
  void should_keep_instants_when_the_session_zone_differs_from_the_jvms() throws Exception {
    // One connection, so the store runs on the session whose zone this test sets.
    try (Database single = Database.open(settings("1"));
        MetadataStore other = new JdbcMetadataStore(single)) {
      try (Connection c = single.dataSource().getConnection();
          Statement statement = c.createStatement()) {
        statement.execute("SET TIME ZONE '" + OTHER_ZONE + "'");
        c.commit();
      }
      assertThat(sessionZone(single)).isEqualTo(OTHER_ZONE);

      Instant logical = Instant.parse("2025-03-09T06:30:00.000001Z");
      long versionId =
          other.saveVersion("etl", "f".repeat(64), null, "dags/etl.groovy", "", logical);
      NewRun newRun =
          new NewRun(
              "etl",
              "scheduled__x",
              RunType.SCHEDULED,
              logical,
              logical,
              logical,
              "{}",
              logical,
              versionId,
              null);
      DagRunRow run =
          other.insertRun(
              newRun,
              List.of(new TaskInstanceRow(0, "t", TaskState.NONE, 0, 1, null, null, null, null)));

      assertThat(other.run(run.id()).orElseThrow().logicalDate()).isEqualTo(logical);
      assertThat(store.run(run.id()).orElseThrow().logicalDate()).isEqualTo(logical);
      assertThat(other.runsBetween("etl", logical, logical)).hasSize(1);
      assertThat(sessionZone(single)).isEqualTo(OTHER_ZONE);
    }
  }

  private static String sessionZone(Database db) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery("SHOW TimeZone")) {
      assertThat(rs.next()).isTrue();
      String zone = rs.getString(1);
      c.rollback();
      assertThat(TimeZone.getDefault().getID()).isEqualTo(JVM_ZONE);
      return zone;
    }
  }
}
