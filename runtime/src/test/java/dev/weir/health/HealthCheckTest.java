package dev.weir.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.Settings;
import dev.weir.scheduler.Leases;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.Lease;
import dev.weir.store.MetadataStore;
import dev.weir.store.WorkerRow;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckTest {
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final long PID = ProcessHandle.current().pid();

  @TempDir Path home;
  private final SettableClock clock = new SettableClock(T0);
  private Database database;
  private MetadataStore store;

  @BeforeEach
  void open() {
    database = Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
    store = new JdbcMetadataStore(database);
  }

  @AfterEach
  void close() {
    store.close();
    database.close();
  }

  private void liveSchedulerAndWorker() {
    store.acquireLease(new Lease("s-1", Leases.hostname(), PID, T0, T0), Optional.empty());
    store.saveWorker(new WorkerRow("s-1", Leases.hostname(), PID, 4, 2, T0, T0));
  }

  @Test
  void should_be_healthy_with_a_live_scheduler_and_worker_even_when_one_is_required() {
    liveSchedulerAndWorker();
    clock.advance(Duration.ofSeconds(10));

    HealthReport report = new HealthCheck(store, clock, true).check();

    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.healthy()).as(report.json()).isTrue();
    assertThat(report.body().get("reasons")).isEqualTo(List.of());
    assertThat(report.json())
        .contains("\"latest_heartbeat\":\"2025-03-01T00:00:00Z\"")
        .contains("\"running\":2");
  }

  @Test
  void should_answer_503_without_a_live_scheduler_only_when_one_is_required() {
    liveSchedulerAndWorker();
    clock.advance(Duration.ofSeconds(16));

    HealthReport required = new HealthCheck(store, clock, true).check();
    HealthReport optional = new HealthCheck(store, clock, false).check();

    assertThat(required.httpStatus()).isEqualTo(503);
    assertThat(optional.httpStatus()).isEqualTo(200);
    assertThat(optional.healthy()).isFalse();
    assertThat(optional.body().get("reasons"))
        .isEqualTo(
            List.of(
                "the scheduler (pid "
                    + PID
                    + " on "
                    + Leases.hostname()
                    + ") last renewed its lease at 2025-03-01T00:00:00Z, more than 15 s ago",
                "worker s-1 (pid "
                    + PID
                    + " on "
                    + Leases.hostname()
                    + ") last beat its heart at 2025-03-01T00:00:00Z, more than 15 s ago"));
  }

  @Test
  void should_report_a_scheduler_whose_process_is_gone_from_this_host() {
    long gone = ProcessHandle.current().pid() + 1_000_000;
    store.acquireLease(new Lease("s-2", Leases.hostname(), gone, T0, T0), Optional.empty());

    HealthReport report = new HealthCheck(store, clock, false).check();

    assertThat(report.body().get("reasons"))
        .isEqualTo(
            List.of(
                "the scheduler (pid " + gone + " on " + Leases.hostname() + ") no longer runs"));
  }

  @Test
  void should_refuse_a_require_scheduler_setting_that_is_not_true_or_false() {
    Settings settings =
        Settings.load(Map.of("WEIR_HOME", home.toString(), "WEIR_HEALTH_REQUIRE_SCHEDULER", "yes"));

    assertThatThrownBy(() -> HealthCheck.of(settings, store, clock))
        .hasMessage(
            "setting health.require-scheduler (WEIR_HEALTH_REQUIRE_SCHEDULER) is 'yes';"
                + " expected true or false");
  }
}
