package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.run.TryOutcome;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.PoolRow;
import dev.weir.store.TaskTryRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerCoreTest {
  @TempDir Path temp;
  private SchedulerHarness weir;

  private SchedulerHarness harness(String now) {
    weir = new SchedulerHarness(temp, Instant.parse(now));
    return weir;
  }

  @AfterEach
  void close() {
    if (weir != null) {
      weir.close();
    }
  }

  private static String hourly(String id, String extra, String tasks) {
    return "dag('"
        + id
        + "') {\n schedule '@hourly'\n startDate '2025-03-01'\n pausedAtCreation false\n"
        + extra
        + "\n"
        + tasks
        + "\n}\n";
  }

  private static final String CHAIN =
      "def a = task('a') { 1 }\n def b = task('b') { 2 }\n def c = task('c') { 3 }\n a >> b >> c";

  private static TryOutcome outcome(TaskState state) {
    return new TryOutcome(state, null, state == TaskState.FAILED ? "boom" : null, Duration.ZERO);
  }

  @Test
  void should_create_a_run_for_every_completed_interval_with_catchup_and_run_them() {
    harness("2025-03-01T05:30:00Z")
        .dag("h.groovy", hourly("h", "catchup true\n maxActiveRuns 16", CHAIN))
        .start(4, true);

    weir.pass();

    List<DagRunRow> runs = weir.runs("h");
    assertThat(runs)
        .extracting(DagRunRow::runId)
        .containsExactly(
            "scheduled__2025-03-01T00:00:00+00:00",
            "scheduled__2025-03-01T01:00:00+00:00",
            "scheduled__2025-03-01T02:00:00+00:00",
            "scheduled__2025-03-01T03:00:00+00:00",
            "scheduled__2025-03-01T04:00:00+00:00");
    assertThat(runs).allSatisfy(run -> assertThat(run.state()).isEqualTo(RunState.SUCCESS));
    assertThat(weir.states(runs.get(4)).values()).containsOnly(TaskState.SUCCESS);
    assertThat(runs.get(0).intervalEnd()).isEqualTo(Instant.parse("2025-03-01T01:00:00Z"));

    weir.clock.advance(Duration.ofMinutes(30));
    weir.pass();
    assertThat(weir.runs("h")).hasSize(6);
  }

  @Test
  void should_create_only_the_latest_interval_without_catchup() {
    harness("2025-03-01T05:30:00Z")
        .dag("h.groovy", hourly("h", "catchup false", CHAIN))
        .start(4, true);

    weir.pass();

    assertThat(weir.runs("h"))
        .extracting(DagRunRow::runId)
        .containsExactly("scheduled__2025-03-01T04:00:00+00:00");
  }

  @Test
  void should_create_no_runs_while_paused_and_catch_up_once_unpaused() {
    harness("2025-03-01T02:30:00Z")
        .dag("h.groovy", hourly("h", "catchup true", CHAIN).replace("pausedAtCreation false", ""))
        .start(4, true);
    weir.pass();
    assertThat(weir.runs("h")).isEmpty();

    weir.unpause("h");
    weir.pass();

    assertThat(weir.runs("h")).hasSize(2);
  }

  @Test
  void should_go_on_with_a_run_when_its_dag_is_unpaused_and_its_file_changes_in_one_tick() {
    String script =
        "dag('p') { schedule none(); pausedAtCreation false\n"
            + " def a = task('a') { 1 }; def b = task('b') { 2 }\n a >> b }\n";
    harness("2025-03-01T01:30:00Z").dag("p.groovy", script).start(4, false);
    DagRunRow run = weir.trigger("p", null);
    weir.pass();
    weir.store.setPaused("p", true);
    weir.pass();
    weir.executor.runWaiting(); // a ends while the DAG is paused: b must wait
    weir.pass();
    assertThat(weir.executor.waiting()).isEmpty();

    weir.store.setPaused("p", false);
    weir.dag("p.groovy", script + "// edited\n");
    weir.refresh();
    weir.core.pass(false); // the new file is loaded before the tick reads the flag
    weir.pass();

    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("b");
    assertThat(weir.states(run)).containsEntry("b", TaskState.RUNNING);
  }

  @Test
  void should_keep_to_max_active_runs() {
    harness("2025-03-01T05:30:00Z")
        .dag("h.groovy", hourly("h", "catchup true\n maxActiveRuns 2", "task('only') { 1 }"))
        .start(8, false);

    weir.pass();

    assertThat(weir.runs("h")).hasSize(2);
    assertThat(weir.executor.waiting()).hasSize(2);
    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.runs("h")).hasSize(4);
    assertThat(weir.runs("h").subList(0, 2))
        .allSatisfy(run -> assertThat(run.state()).isEqualTo(RunState.SUCCESS));
  }

  @Test
  void should_start_a_downstream_task_in_the_pass_after_its_upstream_ends() {
    harness("2025-03-01T01:30:00Z").dag("h.groovy", hourly("h", "", CHAIN)).start(4, false);
    weir.pass();
    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("a");

    TryRequest a = weir.executor.waiting().get(0);
    weir.executor.end(a.key(), outcome(TaskState.SUCCESS));
    assertThat(weir.core.hasEvents()).isTrue();
    weir.core.pass(false);

    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("b");
    DagRunRow run = weir.runs("h").get(0);
    assertThat(weir.states(run))
        .containsEntry("a", TaskState.SUCCESS)
        .containsEntry("b", TaskState.RUNNING)
        .containsEntry("c", TaskState.NONE);
  }

  @Test
  void should_retry_after_the_delay_and_record_every_try() {
    harness("2025-03-01T01:30:00Z")
        .dag(
            "h.groovy",
            hourly(
                "h",
                "",
                "task('flaky', retries: 2, retryDelay: 10.seconds, retryExponentialBackoff: true)"
                    + " { 1 }"))
        .start(4, false);
    weir.pass();
    DagRunRow run = weir.runs("h").get(0);

    weir.executor.end(weir.executor.waiting().get(0).key(), outcome(TaskState.FAILED));
    weir.pass();
    assertThat(weir.instance(run, "flaky").state()).isEqualTo(TaskState.UP_FOR_RETRY);
    assertThat(weir.instance(run, "flaky").nextTryAt())
        .isEqualTo(weir.clock.instant().plusSeconds(10));
    assertThat(weir.executor.waiting()).isEmpty();

    weir.clock.advance(Duration.ofSeconds(9));
    weir.pass();
    assertThat(weir.executor.waiting()).isEmpty();
    weir.clock.advance(Duration.ofSeconds(1));
    weir.pass();
    assertThat(weir.executor.waiting()).hasSize(1);

    weir.executor.end(weir.executor.waiting().get(0).key(), outcome(TaskState.FAILED));
    weir.pass();
    // Exponential backoff: the second retry waits twice as long.
    assertThat(weir.instance(run, "flaky").nextTryAt())
        .isEqualTo(weir.clock.instant().plusSeconds(20));
    weir.clock.advance(Duration.ofSeconds(20));
    weir.pass();
    weir.executor.end(weir.executor.waiting().get(0).key(), outcome(TaskState.FAILED));
    weir.pass();

    assertThat(weir.instance(run, "flaky").state()).isEqualTo(TaskState.FAILED);
    assertThat(weir.instance(run, "flaky").tryNumber()).isEqualTo(3);
    assertThat(weir.store.tries(run.id(), "flaky"))
        .extracting(TaskTryRow::state)
        .containsExactly(TaskState.FAILED, TaskState.FAILED, TaskState.FAILED);
    assertThat(weir.run("h", run.runId()).state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void should_propagate_upstream_failed_and_run_all_done_tasks() {
    harness("2025-03-01T01:30:00Z")
        .dag(
            "h.groovy",
            hourly(
                "h",
                "",
                "def a = task('a') { throw new IllegalStateException('no data') }\n"
                    + " def b = task('b') { 1 }\n"
                    + " def c = task('c') { 1 }\n"
                    + " def cleanup = task('cleanup', triggerRule: 'all_done') { 1 }\n"
                    + " a >> b >> c >> cleanup"))
        .start(4, true);

    weir.pass();

    DagRunRow run = weir.runs("h").get(0);
    assertThat(weir.states(run))
        .containsEntry("a", TaskState.FAILED)
        .containsEntry("b", TaskState.UPSTREAM_FAILED)
        .containsEntry("c", TaskState.UPSTREAM_FAILED)
        .containsEntry("cleanup", TaskState.SUCCESS);
    assertThat(weir.instance(run, "a").error()).contains("no data");
    // The leaf succeeded, so the run did: Airflow's leaf rule.
    assertThat(weir.run("h", run.runId()).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_keep_to_max_active_tasks_and_pool_slots() {
    harness("2025-03-01T01:30:00Z")
        .dag(
            "h.groovy",
            hourly(
                "h",
                "maxActiveTasks 3",
                "(1..6).each { task(\"t$it\") { 1 } }\n"
                    + " (1..4).each { task(\"p$it\", pool: 'gpu') { 1 } }"))
        .start(16, false);
    weir.store.savePool(new PoolRow("gpu", 1, "one GPU"));

    weir.pass();

    assertThat(weir.executor.waiting()).hasSize(3);
    assertThat(weir.executor.waiting().stream().filter(r -> r.taskId().startsWith("p")))
        .hasSizeLessThanOrEqualTo(1);
    for (int round = 0; round < 10 && !weir.executor.waiting().isEmpty(); round++) {
      long pools = weir.executor.waiting().stream().filter(r -> r.taskId().startsWith("p")).count();
      assertThat(pools).isLessThanOrEqualTo(1);
      assertThat(weir.executor.waiting()).hasSizeLessThanOrEqualTo(3);
      weir.executor.runWaiting();
      weir.pass();
    }
    assertThat(weir.runs("h").get(0).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_run_higher_priority_tasks_first() {
    harness("2025-03-01T01:30:00Z")
        .dag(
            "h.groovy",
            hourly(
                "h",
                "",
                "task('low', priorityWeight: 1) { 1 }\n task('high', priorityWeight: 10) { 1 }\n"
                    + " task('mid', priorityWeight: 5) { 1 }"))
        .start(1, false);

    weir.pass();
    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("high");
    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("mid");
  }

  @Test
  void should_wait_for_the_previous_run_when_depends_on_past() {
    harness("2025-03-01T02:30:00Z")
        .dag("h.groovy", hourly("h", "catchup true", "task('load', dependsOnPast: true) { 1 }"))
        .start(4, false);

    weir.pass();

    List<DagRunRow> runs = weir.runs("h");
    assertThat(runs).hasSize(2);
    assertThat(weir.executor.waiting())
        .extracting(TryRequest::runPk)
        .containsExactly(runs.get(0).id());
    weir.executor.end(weir.executor.waiting().get(0).key(), outcome(TaskState.FAILED));
    weir.pass();
    assertThat(weir.executor.waiting()).isEmpty();
    assertThat(weir.states(runs.get(1))).containsEntry("load", TaskState.NONE);
  }

  @Test
  void should_run_hourly_once_per_real_hour_across_a_dst_change() {
    // Europe/Berlin springs forward on 2025-03-30: that day has 23 hours.
    harness("2025-03-30T22:00:00Z")
        .dag(
            "h.groovy",
            "dag('h') { schedule '@hourly'; timezone 'Europe/Berlin'; startDate '2025-03-30'\n"
                + " catchup true; maxActiveRuns 64; pausedAtCreation false\n task('t') { 1 } }")
        .start(8, true);

    weir.pass();

    assertThat(weir.runs("h")).hasSize(23);
    assertThat(weir.runs("h").get(0).logicalDate())
        .isEqualTo(Instant.parse("2025-03-29T23:00:00Z"));
  }

  @Test
  void should_retry_a_try_interrupted_by_a_crash_and_record_it() {
    harness("2025-03-01T01:30:00Z")
        .dag("h.groovy", hourly("h", "", "task('slow', retries: 1) { 1 }"))
        .start(4, false);
    weir.pass();
    DagRunRow run = weir.runs("h").get(0);
    assertThat(weir.instance(run, "slow").state()).isEqualTo(TaskState.RUNNING);

    // The first scheduler dies with its try running; a new one starts on the same store.
    weir.start(4, true);
    weir.pass();
    assertThat(weir.instance(run, "slow").state()).isEqualTo(TaskState.UP_FOR_RETRY);
    weir.clock.advance(Duration.ofHours(1)); // past the retry delay
    weir.pass();

    List<TaskTryRow> tries = weir.store.tries(run.id(), "slow");
    assertThat(tries)
        .extracting(TaskTryRow::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCESS);
    assertThat(tries.get(0).error()).contains("interrupted");
    assertThat(weir.run("h", run.runId()).state()).isEqualTo(RunState.SUCCESS);
    // Only the hour that passed meanwhile added a run; the interrupted one was not duplicated.
    assertThat(weir.runs("h"))
        .extracting(DagRunRow::logicalDate)
        .doesNotHaveDuplicates()
        .hasSize(2);
  }

  @Test
  void should_fail_an_interrupted_try_with_no_retries_left() {
    harness("2025-03-01T01:30:00Z")
        .dag("h.groovy", hourly("h", "", "task('slow') { 1 }"))
        .start(4, false);
    weir.pass();

    weir.start(4, true);
    weir.pass();

    DagRunRow run = weir.runs("h").get(0);
    assertThat(weir.instance(run, "slow").state()).isEqualTo(TaskState.FAILED);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void should_run_a_triggered_run_and_rerun_cleared_tasks_with_their_downstream() {
    harness("2025-03-01T01:30:00Z")
        .dag(
            "m.groovy",
            "dag('m') { schedule none(); pausedAtCreation false\n"
                + " def a = task('a') { 1 }; def b = task('b') { 1 }; def c = task('c') { 1 }\n"
                + " a >> b >> c }")
        .start(4, true);
    DagRunRow run = weir.trigger("m", null);
    assertThat(run.runId()).isEqualTo("manual__2025-03-01T01:30:00+00:00");
    weir.pass();
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.SUCCESS);

    List<ClearedInstance> cleared =
        new RunRequests(weir.store, weir.clock)
            .clear(
                new ClearRequest("m", List.of(run.runId()), null, null, "^b$", true, false, false));

    assertThat(cleared).extracting(ClearedInstance::taskId).containsExactly("b", "c");
    assertThat(weir.states(run))
        .containsEntry("a", TaskState.SUCCESS)
        .containsEntry("b", TaskState.NONE)
        .containsEntry("c", TaskState.NONE);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.QUEUED);
    weir.pass();
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.instance(run, "b").tryNumber()).isEqualTo(2);
    assertThat(weir.instance(run, "a").tryNumber()).isEqualTo(1);
  }

  @Test
  void should_keep_running_the_version_a_run_started_with() throws Exception {
    Path marker = temp.resolve("marker.txt");
    String script =
        "dag('v') { schedule none(); pausedAtCreation false\n"
            + " def a = task('a') { 1 }\n"
            + " def b = task('b') { new File('"
            + marker
            + "').text = 'VERSION' }\n a >> b }";
    harness("2025-03-01T01:30:00Z")
        .dag("v.groovy", script.replace("VERSION", "one"))
        .start(4, false);
    DagRunRow first = weir.trigger("v", null);
    weir.pass();

    weir.dag("v.groovy", script.replace("VERSION", "two"));
    weir.refresh();
    weir.pass();
    weir.executor.runWaiting();
    weir.pass();
    weir.executor.runWaiting();
    weir.pass();
    assertThat(Files.readString(marker)).isEqualTo("one");

    weir.clock.advance(Duration.ofMinutes(1));
    DagRunRow second = weir.trigger("v", null);
    weir.pass();
    weir.executor.runWaiting();
    weir.pass();
    weir.executor.runWaiting();
    weir.pass();
    assertThat(Files.readString(marker)).isEqualTo("two");
    assertThat(second.versionId()).isNotEqualTo(first.versionId());
    assertThat(weir.run("v", first.runId()).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_stop_scheduling_a_deleted_dag_and_keep_its_history() throws Exception {
    harness("2025-03-01T01:30:00Z")
        .dag("h.groovy", hourly("h", "catchup true", CHAIN))
        .start(4, true);
    weir.pass();
    assertThat(weir.runs("h")).hasSize(1);

    Files.delete(weir.dags.resolve("h.groovy"));
    weir.refresh();
    weir.clock.advance(Duration.ofHours(3));
    weir.pass();

    assertThat(weir.runs("h")).hasSize(1);
    assertThat(weir.store.dag("h").orElseThrow().active()).isFalse();
  }

  @Test
  void should_record_import_errors_and_clear_them_when_fixed() {
    harness("2025-03-01T01:30:00Z").dag("h.groovy", hourly("h", "", CHAIN)).start(4, true);
    weir.dag("broken.groovy", "dag('broken') {\n  schedule 'not a cron'\n}\n");
    weir.refresh();
    weir.pass();
    assertThat(weir.store.importErrors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.file()).isEqualTo("dags/broken.groovy");
              assertThat(error.line()).isEqualTo(2);
            });

    weir.dag("broken.groovy", "dag('broken') { schedule '@daily'; startDate '2025-01-01' }\n");
    weir.refresh();
    weir.pass();
    assertThat(weir.store.importErrors()).isEmpty();
    assertThat(weir.store.dag("broken")).isPresent();
  }

  @Test
  void should_run_bash_tasks_with_the_run_context_and_skip_on_exit_99() throws Exception {
    harness("2025-03-01T01:30:00Z")
        .dag(
            "b.groovy",
            hourly(
                "b",
                "",
                "def say = bash('say') { command 'echo \"$WEIR_DAG_ID $WEIR_DS\"' }\n"
                    + " def skip = bash('skip') { command 'exit 99' }\n say >> skip"))
        .start(2, true);

    weir.pass();

    DagRunRow run = weir.runs("b").get(0);
    assertThat(weir.states(run))
        .containsEntry("say", TaskState.SUCCESS)
        .containsEntry("skip", TaskState.SKIPPED);
    Path log = weir.home.resolve("logs/b/" + run.runId() + "/say/1.log");
    assertThat(Files.readString(log)).contains("b 2025-03-01");
  }
}
