package dev.weir.secrets;

import dev.weir.config.Settings;
import dev.weir.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real PostgreSQL: embedded, one server per class, one database per test. */
class PostgresSecretsStoreTest extends SecretsStoreContractTest {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres postgres;
  private static String unavailable;

  @BeforeAll
  static void startPostgres() {
    try {
      postgres = EmbeddedPostgres.builder().start();
    } catch (Exception | Error e) {
      unavailable = "embedded PostgreSQL cannot start here: " + e;
      if ("1".equals(System.getenv("WEIR_REQUIRE_ALL_TESTS"))) {
        throw new AssertionError(unavailable + " (WEIR_REQUIRE_ALL_TESTS=1 requires it)", e);
      }
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected Database openDatabase() throws Exception {
    // Skipped test by test, not the class: Surefire does not report a skipped class at all.
    Assumptions.assumeTrue(postgres != null, unavailable);
    String name = "weir_secrets_" + databases.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
    return Database.open(Settings.load(Map.of("WEIR_DB_URL", url, "WEIR_DB_USER", "postgres")));
  }
}
