package dev.weir.store;

import dev.weir.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The worker heartbeat contract on the default database: an H2 file in a fresh home per test. */
class H2WorkerStoreTest extends WorkerStoreContractTest {
  @TempDir Path home;

  @Override
  protected Database openDatabase() {
    return Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
  }
}
