package dev.weir.secrets;

import dev.weir.config.Settings;
import dev.weir.store.Database;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the default database: an H2 file in a fresh home folder per test. */
class H2SecretsStoreTest extends SecretsStoreContractTest {
  @TempDir Path home;

  @Override
  protected Database openDatabase() {
    return Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
  }
}
