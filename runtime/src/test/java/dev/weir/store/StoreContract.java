package dev.weir.store;

import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The frame of every store contract test: a fresh migrated database per test, opened by each
 * database's subclass, with the JVM in a zone east of UTC so that zone bugs show.
 */
abstract class StoreContract {
  static final String JVM_ZONE = "Asia/Kolkata";

  private static TimeZone originalZone;

  protected Database database;
  protected MetadataStore store;

  /** A fresh database with the schema migrated, for one test. */
  protected abstract Database openDatabase() throws Exception;

  @BeforeAll
  static void runTheJvmOutsideUtc() {
    originalZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(JVM_ZONE));
  }

  @AfterAll
  static void restoreTheJvmZone() {
    TimeZone.setDefault(originalZone);
  }

  @BeforeEach
  void openStore() throws Exception {
    database = openDatabase();
    store = new JdbcMetadataStore(database);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }
}
