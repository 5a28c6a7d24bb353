package dev.weir.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.Settings;
import dev.weir.state.TaskState;
import dev.weir.store.Database;
import dev.weir.store.ImportErrorRow;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.store.NewRun;
import dev.weir.store.RunType;
import dev.weir.store.TaskInstanceRow;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gauges of a web server without a scheduler, read from a real H2 store. */
class StoreMetricsTest {
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

  @TempDir Path home;
  private final SettableClock clock = new SettableClock(T0);
  private final Metrics metrics = new Metrics();
  private Database database;
  private MetadataStore store;

  @BeforeEach
  void open() {
    database = Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
    store = new JdbcMetadataStore(database);
    StoreMetrics.register(metrics.registry(), store, clock);
  }

  @AfterEach
  void close() {
    metrics.close();
    store.close();
    database.close();
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(metrics.scrape(null).body());
  }

  @Test
  void should_count_runs_and_import_errors_reading_the_store_at_most_every_15_seconds() {
    assertThat(scrape().value("weir_dag_runs", Map.of("state", "queued"))).contains(0.0);

    long version = store.saveVersion("etl", "a".repeat(64), null, "dags/etl.groovy", "", T0);
    store.insertRun(
        new NewRun("etl", "manual__1", RunType.MANUAL, T0, T0, T0, "{}", T0, version, null),
        List.of(new TaskInstanceRow(0, "t", TaskState.NONE, 0, 1, null, null, null, null)));
    store.replaceImportErrors(List.of(new ImportErrorRow("dags/bad.groovy", 3, "boom", T0)));
    PrometheusText cached = scrape();
    clock.advance(Duration.ofSeconds(15));
    PrometheusText fresh = scrape();

    assertThat(cached.value("weir_dag_runs", Map.of("state", "queued"))).contains(0.0);
    assertThat(cached.value("weir_dag_import_errors")).contains(0.0);
    assertThat(fresh.value("weir_dag_runs", Map.of("state", "queued"))).contains(1.0);
    assertThat(fresh.value("weir_dag_runs", Map.of("state", "running"))).contains(0.0);
    assertThat(fresh.value("weir_dag_import_errors")).contains(1.0);
  }
}
