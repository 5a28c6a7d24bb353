package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.run.TryOutcome;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sensors and triggerDagRun under the scheduler, on a real H2 store, pass by pass. */
class SensorSchedulerTest {
  @TempDir Path temp;
  private SchedulerHarness weir;

  @AfterEach
  void close() {
    if (weir != null) {
      weir.close();
    }
  }

  private SchedulerHarness harness() {
    weir = new SchedulerHarness(temp, Instant.parse("2025-03-01T01:30:00Z"));
    return weir;
  }

  private static String manual(String id, String tasks) {
    return "dag('" + id + "') {\n schedule none()\n pausedAtCreation false\n" + tasks + "\n}\n";
  }

  private static String hourly(String id, String tasks) {
    return "dag('"
        + id
        + "') {\n schedule '@hourly'\n startDate '2025-03-01'\n pausedAtCreation false\n"
        + tasks
        + "\n}\n";
  }

  @Test
  void should_free_the_only_slot_between_pokes_in_reschedule_mode() {
    harness()
        .dag(
            "r.groovy",
            manual(
                "r",
                """
                def pokes = 0
                sensor('wait', mode: 'reschedule', pokeInterval: 30.seconds, priorityWeight: 2) {
                    ++pokes == 2
                }
                task('other') { 'ran' }
                """))
        .startWithSensors(1, false);
    DagRunRow run = weir.trigger("r", null);
    weir.pass();
    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("wait");

    weir.executor.runWaiting(); // the first poke: not yet
    weir.pass();

    TaskInstanceRow wait = weir.instance(run, "wait");
    assertThat(wait.state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
    assertThat(wait.nextTryAt()).isEqualTo(weir.clock.instant().plusSeconds(30));
    // The sensor's slot is free: the other task runs before the sensor's next poke.
    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("other");
    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.instance(run, "other").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(weir.executor.waiting()).isEmpty();

    weir.clock.advance(Duration.ofSeconds(30));
    weir.pass();
    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).containsExactly("wait");
    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.instance(run, "wait").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(weir.run("r", run.runId()).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_time_out_over_all_reschedules_failed_or_skipped_with_soft_fail() {
    harness()
        .dag(
            "t.groovy",
            manual(
                "t",
                """
                sensor('hard', mode: 'reschedule', pokeInterval: 10.seconds, timeout: 25.seconds) { false }
                sensor('soft', mode: 'reschedule', pokeInterval: 10.seconds, timeout: 25.seconds,
                       softFail: true) { false }
                """))
        .startWithSensors(2, true);
    DagRunRow run = weir.trigger("t", null);
    weir.pass();
    for (int i = 0; i < 3; i++) {
      assertThat(weir.states(run).values()).containsOnly(TaskState.UP_FOR_RESCHEDULE);
      weir.clock.advance(Duration.ofSeconds(i < 2 ? 10 : 5)); // pokes at 0, 10, 20, then 25
      weir.pass();
    }
    assertThat(weir.instance(run, "hard").state()).isEqualTo(TaskState.FAILED);
    assertThat(weir.instance(run, "hard").error())
        .startsWith("sensor timed out: not done 25.0 s after its first poke (timeout 25.0 s;");
    assertThat(weir.instance(run, "soft").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(weir.run("t", run.runId()).state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void should_not_retry_a_sensor_that_timed_out() {
    harness()
        .dag(
            "t.groovy",
            manual(
                "t",
                """
                sensor('hard', mode: 'reschedule', pokeInterval: 10.seconds, timeout: 15.seconds,
                       retries: 3, retryDelay: 1.second) { false }
                """))
        .startWithSensors(1, true);
    DagRunRow run = weir.trigger("t", null);
    weir.pass();
    weir.clock.advance(Duration.ofSeconds(10));
    weir.pass();
    weir.clock.advance(Duration.ofSeconds(5)); // the deadline: the last poke times out
    weir.pass();

    TaskInstanceRow hard = weir.instance(run, "hard");
    assertThat(hard.state()).isEqualTo(TaskState.FAILED);
    assertThat(hard.tryNumber()).isEqualTo(3); // three pokes, no retry
    assertThat(weir.run("t", run.runId()).state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void should_wait_for_a_task_of_another_dag_at_the_same_logical_date() {
    harness()
        .dag("up.groovy", hourly("up", "task('load') { 'loaded' }"))
        .dag(
            "down.groovy",
            hourly(
                "down",
                """
                externalTaskSensor('wait_load') {
                    externalDagId 'up'
                    externalTaskId 'load'
                    mode 'reschedule'
                    pokeInterval 1.minute
                }
                """))
        .startWithSensors(4, false);
    weir.pass();
    DagRunRow down = weir.runs("down").get(0);
    assertThat(weir.runs("up").get(0).logicalDate()).isEqualTo(down.logicalDate());
    // Both tries run; the sensor sees 'load' running, as the store has it before the next pass.
    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.instance(down, "wait_load").state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
    assertThat(weir.instance(weir.runs("up").get(0), "load").state()).isEqualTo(TaskState.SUCCESS);

    weir.clock.advance(Duration.ofMinutes(1));
    weir.pass();
    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.instance(down, "wait_load").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(weir.run("down", down.runId()).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_fail_early_when_the_external_task_fails_and_watch_a_whole_run_with_a_delta() {
    harness()
        .dag("up.groovy", hourly("up", "task('load') { 'loaded' }"))
        .dag(
            "down.groovy",
            hourly(
                "down",
                """
                externalTaskSensor('task_failed') {
                    externalDagId 'up'; externalTaskId 'load'; failedStates(['failed'])
                    mode 'reschedule'
                }
                externalTaskSensor('previous_run') {
                    externalDagId 'up'; executionDelta 1.hour; mode 'reschedule'
                }
                """))
        .startWithSensors(4, false);
    weir.pass(); // runs of 00:00 for both DAGs
    DagRunRow up = weir.runs("up").get(0);
    TryRequest load =
        weir.executor.waiting().stream()
            .filter(r -> r.taskId().equals("load"))
            .findFirst()
            .orElseThrow();
    weir.executor.end(load.key(), new TryOutcome(TaskState.FAILED, null, "boom", Duration.ZERO));
    weir.pass();
    assertThat(weir.instance(up, "load").state()).isEqualTo(TaskState.FAILED);
    weir.executor.runWaiting();
    weir.pass();

    DagRunRow down = weir.runs("down").get(0);
    assertThat(weir.instance(down, "task_failed").state()).isEqualTo(TaskState.FAILED);
    assertThat(weir.instance(down, "task_failed").error())
        .isEqualTo("task 'load' of dag 'up' at 2025-03-01T00:00:00+00:00 is failed");
    // One hour before 00:00 'up' has no run: the whole-run sensor waits.
    assertThat(weir.instance(down, "previous_run").state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
  }

  @Test
  void should_trigger_a_run_of_another_dag_and_wait_until_it_succeeds() {
    harness()
        .dag("child.groovy", manual("child", "task('echo') { ctx -> \"day ${ctx.conf.day}\" }"))
        .dag(
            "parent.groovy",
            hourly(
                "parent",
                """
                triggerDagRun('go') {
                    dagId 'child'
                    conf([day: '{{ ds }}', n: 1])
                    waitForCompletion true
                    mode 'reschedule'
                    pokeInterval 10.seconds
                }
                """))
        .startWithSensors(4, true);
    weir.pass();
    DagRunRow parent = weir.runs("parent").get(0);
    String childRunId = "triggered__parent.go__" + parent.runId();
    DagRunRow child = weir.run("child", childRunId);
    assertThat(child.conf()).isEqualTo("{\"day\":\"2025-03-01\",\"n\":1}");
    assertThat(weir.instance(parent, "go").state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);

    for (int i = 0; i < 5 && weir.run("parent", parent.runId()).state() != RunState.SUCCESS; i++) {
      weir.clock.advance(Duration.ofSeconds(10));
      weir.pass();
    }
    assertThat(weir.run("child", childRunId).state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.instance(parent, "go").state()).isEqualTo(TaskState.SUCCESS);
    // Every poke found the run it triggered first: one run of child in all.
    assertThat(weir.runs("child")).hasSize(1);
  }

  @Test
  void should_fail_when_the_triggered_run_fails() {
    harness()
        .dag(
            "child.groovy",
            manual("child", "task('boom') { throw new IllegalStateException('no') }"))
        .dag(
            "parent.groovy",
            manual(
                "parent",
                """
                triggerDagRun('go') {
                    dagId 'child'; waitForCompletion true; mode 'reschedule'; pokeInterval 10.seconds
                }
                """))
        .startWithSensors(4, true);
    DagRunRow parent = weir.trigger("parent", null);
    weir.pass();
    for (int i = 0; i < 5 && !weir.run("parent", parent.runId()).state().isFinished(); i++) {
      weir.clock.advance(Duration.ofSeconds(10));
      weir.pass();
    }
    assertThat(weir.instance(parent, "go").state()).isEqualTo(TaskState.FAILED);
    assertThat(weir.instance(parent, "go").error())
        .isEqualTo("run triggered__parent.go__" + parent.runId() + " of dag 'child' ended failed");
  }
}
