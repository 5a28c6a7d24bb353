package dev.weir.store;

import dev.weir.config.Settings;
import dev.weir.testing.TestPostgres;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The worker heartbeat contract on a real PostgreSQL: embedded, one server per class, one database
 * per test. Skipped when PostgreSQL cannot start here, unless {@code WEIR_REQUIRE_ALL_TESTS=1}.
 */
class PostgresWorkerStoreTest extends WorkerStoreContractTest {
  private static TestPostgres postgres;

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
    String url = postgres.url(postgres.newDatabase("weir_workers_"));
    return Database.open(Settings.load(Map.of("WEIR_DB_URL", url, "WEIR_DB_USER", "postgres")));
  }
}
