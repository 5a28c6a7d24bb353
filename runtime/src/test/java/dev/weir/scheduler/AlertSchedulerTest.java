package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weir.model.CallbackEvent;
import dev.weir.state.RunState;
import dev.weir.store.AlertRow;
import dev.weir.store.DagRunRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scheduler puts in the alert outbox, and deadlines, on a settable clock. */
class AlertSchedulerTest {
  @TempDir Path temp;
  private SchedulerHarness weir;

  @AfterEach
  void close() {
    if (weir != null) {
      weir.close();
    }
  }

  private SchedulerHarness harness(String now) {
    weir = new SchedulerHarness(temp, Instant.parse(now));
    return weir;
  }

  @Test
  void should_write_retry_failure_and_run_failure_alerts_with_the_state_they_report() {
    String script =
        """
        dag('nightly') {
          schedule none(); pausedAtCreation false
          defaults { retries 1; retryDelay 1.minute; onFailure { ctx -> }; onRetry { ctx -> } }
          onFailure { ctx -> }
          def load = task('load') { throw new IllegalStateException('disk full') }
          def report = task('report') { 1 }
          load >> report
        }
        """;
    harness("2025-03-01T03:00:00Z").dag("n.groovy", script).start(2, true);
    DagRunRow run = weir.trigger("nightly", null);
    weir.pass();

    assertThat(weir.store.pendingAlerts(10))
        .extracting(AlertRow::event, AlertRow::taskId, AlertRow::tryNumber)
        .containsExactly(tuple(CallbackEvent.TASK_RETRY, "load", 1));
    assertThat(weir.store.pendingAlerts(10).get(0).error()).contains("disk full");

    weir.clock.advance(Duration.ofMinutes(1));
    weir.pass();

    assertThat(weir.run("nightly", run.runId()).state()).isEqualTo(RunState.FAILED);
    // report ends upstream_failed: no alert for it, as in Airflow.
    assertThat(weir.store.pendingAlerts(10))
        .extracting(AlertRow::event, AlertRow::taskId, AlertRow::tryNumber)
        .containsExactly(
            tuple(CallbackEvent.TASK_RETRY, "load", 1),
            tuple(CallbackEvent.TASK_FAILURE, "load", 2),
            tuple(CallbackEvent.RUN_FAILURE, null, 0));
  }

  @Test
  void should_write_success_and_skip_alerts_only_for_tasks_with_those_callbacks() {
    String script =
        """
        dag('daily') {
          schedule none(); pausedAtCreation false
          onSuccess { ctx -> }
          def quiet = task('quiet') { 1 }
          def loud = task('loud', onSuccess: { ctx -> }) { 2 }
          def maybe = bash('maybe') { command 'exit 99'; onSkipped { ctx -> } }
          quiet >> loud
        }
        """;
    harness("2025-03-01T03:00:00Z").dag("d.groovy", script).start(2, true);
    weir.trigger("daily", null);
    weir.pass();

    assertThat(weir.store.pendingAlerts(10))
        .extracting(AlertRow::event, AlertRow::taskId)
        .containsExactlyInAnyOrder(
            tuple(CallbackEvent.TASK_SUCCESS, "loud"),
            tuple(CallbackEvent.TASK_SKIPPED, "maybe"),
            tuple(CallbackEvent.RUN_SUCCESS, null));
  }

  @Test
  void should_write_no_alert_for_a_dag_without_callbacks() {
    String script =
        """
        dag('plain') {
          schedule none(); pausedAtCreation false
          task('boom') { throw new IllegalStateException('no') }
        }
        """;
    harness("2025-03-01T03:00:00Z").dag("p.groovy", script).start(2, true);
    weir.trigger("plain", null);
    weir.pass();

    assertThat(weir.store.pendingAlerts(10)).isEmpty();
  }

  private static String hourlyWithDeadline(String deadline) {
    return """
        dag('hourly') {
          schedule '@hourly'; startDate '2025-03-01'; pausedAtCreation false
          %s
          task('slow') { 1 }
        }
        """
        .formatted(deadline);
  }

  @Test
  void should_record_a_missed_deadline_when_its_time_comes_and_alert_once() {
    harness("2025-03-01T01:05:00Z")
        .dag(
            "h.groovy",
            hourlyWithDeadline(
                "deadline 30.minutes, after: 'data_interval_end', onMiss: { ctx -> }"))
        .start(2, false); // tries wait until the test ends them
    weir.pass();
    DagRunRow run = weir.runs("hourly").get(0);
    Instant due = Instant.parse("2025-03-01T01:30:00Z");
    assertThat(run.intervalEnd()).isEqualTo(Instant.parse("2025-03-01T01:00:00Z"));
    assertThat(weir.core.nextDue()).isEqualTo(due);

    weir.clock.set(due.minusSeconds(1));
    weir.pass();
    assertThat(weir.run("hourly", run.runId()).missedDeadline()).isFalse();

    weir.clock.set(due.plusSeconds(2));
    weir.pass();
    weir.pass();

    DagRunRow missed = weir.run("hourly", run.runId());
    assertThat(missed.deadlineAt()).isEqualTo(due);
    assertThat(missed.deadlineMissedAt()).isEqualTo(due.plusSeconds(2));
    assertThat(missed.state()).isEqualTo(RunState.RUNNING);
    assertThat(weir.store.pendingAlerts(10))
        .extracting(AlertRow::event, AlertRow::runId)
        .containsExactly(tuple(CallbackEvent.DEADLINE_MISSED, run.runId()));
  }

  @Test
  void should_not_miss_a_deadline_when_the_run_finishes_in_time() {
    harness("2025-03-01T01:05:00Z")
        .dag("h.groovy", hourlyWithDeadline("deadline 30.minutes, onMiss: { ctx -> }"))
        .start(2, true);
    weir.pass();
    DagRunRow run = weir.runs("hourly").get(0);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);

    weir.clock.set(Instant.parse("2025-03-01T01:45:00Z"));
    weir.pass();

    assertThat(weir.run("hourly", run.runId()).missedDeadline()).isFalse();
    assertThat(weir.store.pendingAlerts(10)).isEmpty();
  }

  @Test
  void should_count_a_run_that_ends_after_its_deadline_as_missed_without_a_pass_in_between() {
    harness("2025-03-01T01:05:00Z")
        .dag("h.groovy", hourlyWithDeadline("deadline 10.minutes, after: 'queued_at'"))
        .start(2, false);
    weir.pass();
    DagRunRow run = weir.runs("hourly").get(0);

    weir.clock.set(Instant.parse("2025-03-01T01:20:00Z"));
    weir.executor.runWaiting(); // ends before any pass sees the deadline come
    weir.pass();

    DagRunRow ended = weir.run("hourly", run.runId());
    assertThat(ended.state()).isEqualTo(RunState.SUCCESS);
    assertThat(ended.deadlineAt()).isEqualTo(run.queuedAt().plus(Duration.ofMinutes(10)));
    assertThat(ended.missedDeadline()).isTrue();
    // No onMiss callbacks: recorded, not alerted.
    assertThat(weir.store.pendingAlerts(10)).isEmpty();
  }

  @Test
  void should_watch_deadlines_of_unfinished_runs_again_after_a_restart() {
    harness("2025-03-01T01:05:00Z")
        .dag("h.groovy", hourlyWithDeadline("deadline 30.minutes, onMiss: { ctx -> }"))
        .start(2, false);
    weir.pass();
    DagRunRow run = weir.runs("hourly").get(0);

    weir.clock.set(Instant.parse("2025-03-01T01:40:00Z"));
    weir.start(2, false); // a new scheduler recovers the run
    weir.pass();

    assertThat(weir.run("hourly", run.runId()).missedDeadline()).isTrue();
    assertThat(weir.store.pendingAlerts(10))
        .extracting(AlertRow::event)
        .containsExactly(CallbackEvent.DEADLINE_MISSED);
  }
}
