package dev.weir.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.metrics.SchedulerSnapshot.PoolUsage;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeterSchedulerMetricsTest {
  private final Metrics metrics = new Metrics();
  private final MeterSchedulerMetrics scheduler = new MeterSchedulerMetrics(metrics.registry());

  @AfterEach
  void close() {
    metrics.close();
  }

  private PrometheusText scrape() {
    Metrics.Scrape scrape = metrics.scrape(null);
    assertThat(scrape.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    return PrometheusText.parse(scrape.body());
  }

  @Test
  void should_count_ends_by_dag_and_state_and_time_tries_in_a_histogram() {
    scheduler.tryEnded("etl", "load", TaskState.UP_FOR_RETRY, Duration.ofSeconds(2));
    scheduler.tryEnded("etl", "load", TaskState.FAILED, Duration.ofSeconds(3));
    scheduler.tryEnded("etl", "extract", TaskState.SUCCESS, Duration.ofMillis(500));

    PrometheusText text = scrape();

    assertThat(text.value("weir_task_instance_ends_total", Map.of("dag", "etl", "state", "failed")))
        .contains(1.0);
    assertThat(
            text.value("weir_task_instance_ends_total", Map.of("dag", "etl", "state", "success")))
        .contains(1.0);
    assertThat(text.samples("weir_task_instance_ends_total", Map.of("state", "up_for_retry")))
        .as("a retry is not an end")
        .isEmpty();
    assertThat(text.type("weir_task_duration_seconds")).contains("histogram");
    Map<String, String> failedLoad = Map.of("dag", "etl", "task", "load", "state", "failed");
    assertThat(text.value("weir_task_duration_seconds_count", failedLoad)).contains(1.0);
    assertThat(text.value("weir_task_duration_seconds_sum", failedLoad)).contains(3.0);
    assertThat(
            text.value(
                "weir_task_duration_seconds_bucket",
                Map.of("dag", "etl", "task", "load", "state", "failed", "le", "1.0")))
        .contains(0.0);
    assertThat(
            text.value(
                "weir_task_duration_seconds_bucket",
                Map.of("dag", "etl", "task", "load", "state", "failed", "le", "5.0")))
        .contains(1.0);
    assertThat(
            text.value(
                "weir_task_duration_seconds_bucket",
                Map.of("dag", "etl", "task", "load", "state", "failed", "le", "+Inf")))
        .contains(1.0);
  }

  @Test
  void should_time_runs_and_count_their_ends_and_missed_deadlines() {
    scheduler.runEnded("etl", RunState.SUCCESS, Duration.ofMinutes(2));
    scheduler.runEnded("etl", RunState.SUCCESS, Duration.ofMinutes(4));
    scheduler.deadlineMissed("etl");
    scheduler.passTook(Duration.ofMillis(3));

    PrometheusText text = scrape();

    Map<String, String> succeeded = Map.of("dag", "etl", "state", "success");
    assertThat(text.value("weir_dag_run_ends_total", succeeded)).contains(2.0);
    assertThat(text.value("weir_dag_run_duration_seconds_count", succeeded)).contains(2.0);
    assertThat(text.value("weir_dag_run_duration_seconds_sum", succeeded)).contains(360.0);
    assertThat(text.type("weir_dag_run_duration_seconds")).contains("histogram");
    assertThat(text.value("weir_deadline_misses_total", Map.of("dag", "etl"))).contains(1.0);
    assertThat(text.value("weir_scheduler_loop_duration_seconds_count")).contains(1.0);
    assertThat(text.value("weir_scheduler_loop_duration_seconds_bucket", Map.of("le", "0.005")))
        .contains(1.0);
  }

  @Test
  void should_show_the_latest_snapshot_with_zeros_for_empty_states_and_only_current_pools() {
    PrometheusText before = scrape();
    assertThat(before.value("weir_dag_runs", Map.of("state", "queued"))).contains(0.0);
    assertThat(before.value("weir_dag_runs", Map.of("state", "running"))).contains(0.0);
    assertThat(before.samples("weir_task_instances", Map.of()))
        .extracting(sample -> sample.labels().get("state"))
        .containsExactlyInAnyOrder(
            "none", "scheduled", "queued", "running", "up_for_retry", "up_for_reschedule");

    scheduler.snapshot(
        new SchedulerSnapshot(
            Map.of(RunState.RUNNING, 2),
            Map.of(TaskState.RUNNING, 3, TaskState.SCHEDULED, 4),
            4,
            3,
            Map.of("default_pool", new PoolUsage(128, 3), "gpu", new PoolUsage(2, 0)),
            Instant.EPOCH));
    PrometheusText during = scrape();
    scheduler.snapshot(
        new SchedulerSnapshot(
            Map.of(),
            Map.of(),
            0,
            0,
            Map.of("default_pool", new PoolUsage(128, 0)),
            Instant.EPOCH));
    PrometheusText after = scrape();

    assertThat(during.value("weir_dag_runs", Map.of("state", "running"))).contains(2.0);
    assertThat(during.value("weir_dag_runs", Map.of("state", "queued"))).contains(0.0);
    assertThat(during.value("weir_task_instances", Map.of("state", "scheduled"))).contains(4.0);
    assertThat(during.value("weir_task_instances_queued")).contains(4.0);
    assertThat(during.value("weir_task_instances_running")).contains(3.0);
    assertThat(during.value("weir_pool_slots", Map.of("pool", "default_pool"))).contains(128.0);
    assertThat(during.value("weir_pool_slots_used", Map.of("pool", "default_pool"))).contains(3.0);
    assertThat(during.value("weir_pool_slots", Map.of("pool", "gpu"))).contains(2.0);
    assertThat(after.value("weir_dag_runs", Map.of("state", "running"))).contains(0.0);
    assertThat(after.value("weir_pool_slots_used", Map.of("pool", "default_pool"))).contains(0.0);
    assertThat(after.samples("weir_pool_slots", Map.of("pool", "gpu")))
        .as("a pool gone from the snapshot")
        .isEmpty();
  }

  @Test
  void should_scrape_cleanly_while_snapshots_keep_coming() throws Exception {
    SchedulerSnapshot snapshot =
        new SchedulerSnapshot(
            Map.of(), Map.of(), 0, 0, Map.of("default_pool", new PoolUsage(128, 1)), Instant.EPOCH);
    scheduler.snapshot(snapshot); // the pool exists before the first scrape
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // A scheduler ticks while Prometheus scrapes: no scrape may meet a pool's series twice.
    Thread ticking =
        new Thread(
            () -> {
              while (!done.get()) {
                scheduler.snapshot(snapshot);
              }
            });
    ticking.start();
    try {
      for (int i = 0; i < 300; i++) {
        try {
          PrometheusText text = scrape();
          assertThat(text.samples("weir_pool_slots_used", Map.of("pool", "default_pool")))
              .hasSize(1);
        } catch (RuntimeException | AssertionError e) {
          failure.compareAndSet(null, e);
        }
      }
    } finally {
      done.set(true);
      ticking.join();
    }
    assertThat(failure.get()).isNull();
  }

  @Test
  void should_show_notifier_failures_at_zero_until_counted() {
    Counter email = Metrics.notifierFailures(metrics.registry(), "email");
    email.increment();
    // The name as Prometheus shows it works as well as Micrometer's.
    metrics.registry().counter("weir_notifier_failures_total", "notifier", "webhook").increment();

    PrometheusText text = scrape();

    assertThat(text.type("weir_notifier_failures_total")).contains("counter");
    assertThat(text.value("weir_notifier_failures_total", Map.of("notifier", "email")))
        .contains(1.0);
    assertThat(text.value("weir_notifier_failures_total", Map.of("notifier", "webhook")))
        .contains(1.0);
    assertThat(text.value("weir_notifier_failures_total", Map.of("notifier", "code")))
        .contains(0.0);
  }

  @Test
  void should_show_the_jvm_and_answer_openmetrics_when_asked() {
    assertThat(scrape().value("jvm_threads_live_threads"))
        .hasValueSatisfying(n -> assertThat(n).isPositive());

    Metrics.Scrape open =
        metrics.scrape("application/openmetrics-text;version=1.0.0,text/plain;q=0.5");

    assertThat(open.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
    assertThat(open.body()).endsWith("# EOF\n");
  }
}
