package dev.weir.users;

import dev.weir.config.Settings;
import dev.weir.store.Database;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class H2UserStoreTest extends UserStoreContractTest {
  @TempDir Path home;

  @Override
  protected Database openDatabase() {
    return Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
  }
}
