package dev.weir.store;

import dev.weir.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The history contract on the default database: an H2 file in a fresh home folder per test. */
class H2HistoryStoreTest extends HistoryStoreContractTest {
  @TempDir Path home;

  @Override
  protected Database openDatabase() {
    return Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
  }
}
