package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.run.TryOutcome;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.Lease;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Marking task instances and runs, on the real scheduler: through a live scheduler (a request it
 * carries out in its tick) and with none live (done by the requesting process).
 */
class MarkSchedulerTest {
  @TempDir Path temp;
  private SchedulerHarness weir;

  @AfterEach
  void close() {
    if (weir != null) {
      weir.close();
    }
  }

  private static final String CHAIN =
      "dag('m') { schedule none(); pausedAtCreation false\n"
          + " def a = task('a') { 1 }; def b = task('b') { 2 }; def c = task('c') { 3 }\n"
          + " a >> b >> c }";

  private SchedulerHarness harness(String script, boolean runAtOnce) {
    weir = new SchedulerHarness(temp, Instant.parse("2025-03-01T01:30:00Z"));
    return weir.dag("m.groovy", script).start(4, runAtOnce);
  }

  private RunRequests requests() {
    return new RunRequests(weir.store, weir.clock);
  }

  private static TryOutcome outcome(TaskState state) {
    return new TryOutcome(state, null, state == TaskState.FAILED ? "boom" : null, Duration.ZERO);
  }

  /** Makes the harness's scheduler the live one of the store, so requests go through it. */
  private void goLive() {
    Instant now = weir.clock.instant();
    Lease lease =
        new Lease("scheduler-1", Leases.hostname(), ProcessHandle.current().pid(), now, now);
    assertThat(weir.store.acquireLease(lease, Optional.empty())).isTrue();
  }

  /** Posts a request from another thread and runs scheduler passes until it is carried out. */
  private <T> T throughScheduler(Supplier<T> request) throws Exception {
    CompletableFuture<T> done = CompletableFuture.supplyAsync(request);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.isDone()) {
      assertThat(System.nanoTime()).as("request carried out").isLessThan(deadline);
      weir.pass();
      Thread.sleep(5);
    }
    try {
      return done.join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  private TryKey waitingKey(String taskId) {
    return weir.executor.waiting().stream()
        .filter(request -> request.taskId().equals(taskId))
        .findFirst()
        .orElseThrow()
        .key();
  }

  private static MarkRequest mark(String runId, TaskState state, String... taskIds) {
    return new MarkRequest("m", runId, List.of(taskIds), null, state, false, false);
  }

  @Test
  void should_run_the_downstream_of_a_failed_task_marked_success_and_succeed_the_run() {
    harness(
        CHAIN.replace("task('a') { 1 }", "task('a') { throw new IllegalStateException('x') }"),
        true);
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    assertThat(weir.states(run))
        .containsEntry("a", TaskState.FAILED)
        .containsEntry("b", TaskState.UPSTREAM_FAILED);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.FAILED);

    // No scheduler is live: the request is carried out here, and the scheduler picks it up.
    List<MarkedInstance> changed = requests().markTasks(mark(run.runId(), TaskState.SUCCESS, "a"));

    assertThat(changed)
        .containsExactly(
            new MarkedInstance("a", -1, TaskState.FAILED, TaskState.SUCCESS),
            new MarkedInstance("b", -1, TaskState.UPSTREAM_FAILED, TaskState.NONE),
            new MarkedInstance("c", -1, TaskState.UPSTREAM_FAILED, TaskState.NONE));
    assertThat(weir.instance(run, "a").error()).isNull();
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.QUEUED);
    weir.pass();
    assertThat(weir.states(run).values()).containsOnly(TaskState.SUCCESS);
    assertThat(weir.instance(run, "a").tryNumber()).isEqualTo(1);
    assertThat(weir.instance(run, "c").tryNumber()).isEqualTo(1);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_stop_a_running_task_marked_failed_and_fail_its_downstream_and_run() throws Exception {
    harness(CHAIN, false);
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    TryKey running = waitingKey("a");
    goLive();

    List<MarkedInstance> changed =
        throughScheduler(() -> requests().markTasks(mark(run.runId(), TaskState.FAILED, "a")));

    assertThat(changed)
        .containsExactly(new MarkedInstance("a", -1, TaskState.RUNNING, TaskState.FAILED));
    assertThat(weir.executor.cancelled()).containsExactly(running);
    assertThat(weir.states(run))
        .containsEntry("a", TaskState.FAILED)
        .containsEntry("b", TaskState.UPSTREAM_FAILED)
        .containsEntry("c", TaskState.UPSTREAM_FAILED);
    assertThat(weir.instance(run, "a").error())
        .isEqualTo("marked failed while running; the try was stopped");
    assertThat(weir.store.tries(run.id(), "a"))
        .extracting(TaskTryRow::state)
        .containsExactly(TaskState.FAILED);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.FAILED);

    // The stopped try reports its end late: it must not overwrite the mark.
    weir.executor.end(running, outcome(TaskState.SUCCESS));
    weir.pass();
    assertThat(weir.instance(run, "a").state()).isEqualTo(TaskState.FAILED);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.FAILED);
    assertThat(weir.core.runningCount()).isZero();
  }

  @Test
  void should_let_a_running_task_marked_success_run_its_downstream() throws Exception {
    harness(CHAIN, false);
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    TryKey running = waitingKey("a");
    goLive();

    throughScheduler(() -> requests().markTasks(mark(run.runId(), TaskState.SUCCESS, "a")));

    assertThat(weir.executor.cancelled()).containsExactly(running);
    assertThat(weir.instance(run, "a").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(weir.instance(run, "a").error()).isNull();
    // Its downstream was evaluated at once: b is running.
    assertThat(weir.executor.waiting()).extracting(TryRequest::taskId).contains("b");
    assertThat(weir.instance(run, "b").state()).isEqualTo(TaskState.RUNNING);
    weir.executor.end(running, outcome(TaskState.FAILED)); // the stopped try's late end
    weir.pass();
    assertThat(weir.instance(run, "a").state()).isEqualTo(TaskState.SUCCESS);
  }

  @Test
  void should_mark_a_run_success_stopping_its_running_try_and_finishing_every_task()
      throws Exception {
    harness(CHAIN, false);
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    TryKey running = waitingKey("a");
    goLive();

    DagRunRow marked =
        throughScheduler(() -> requests().markRun("m", run.runId(), RunState.SUCCESS));

    assertThat(marked.state()).isEqualTo(RunState.SUCCESS);
    assertThat(marked.endDate()).isEqualTo(weir.clock.instant());
    assertThat(weir.executor.cancelled()).containsExactly(running);
    assertThat(weir.states(run).values()).containsOnly(TaskState.SUCCESS);
    weir.executor.end(running, outcome(TaskState.FAILED));
    weir.pass();
    assertThat(weir.executor.waiting()).isEmpty();
    assertThat(weir.states(run).values()).containsOnly(TaskState.SUCCESS);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_mark_a_run_failed_failing_running_tasks_and_skipping_the_others_with_none_live() {
    harness(
        "dag('m') { schedule none(); pausedAtCreation false\n"
            + " def a = task('a') { 1 }; def b = task('b') { 2 }; def c = task('c') { 3 }\n"
            + " [a, b] >> c }",
        false);
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    weir.executor.end(waitingKey("a"), outcome(TaskState.SUCCESS));
    weir.pass();
    assertThat(weir.states(run))
        .containsEntry("a", TaskState.SUCCESS)
        .containsEntry("b", TaskState.RUNNING)
        .containsEntry("c", TaskState.NONE);

    // The scheduler is gone (it holds no lease): the mark is done here.
    DagRunRow marked = requests().markRun("m", run.runId(), RunState.FAILED);

    assertThat(marked.state()).isEqualTo(RunState.FAILED);
    assertThat(weir.states(run))
        .containsEntry("a", TaskState.SUCCESS)
        .containsEntry("b", TaskState.FAILED)
        .containsEntry("c", TaskState.SKIPPED);
    assertThat(weir.store.tries(run.id(), "b"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.state()).isEqualTo(TaskState.FAILED);
              assertThat(t.endDate()).isNotNull();
            });
    // A scheduler starting later finds nothing to recover in the run.
    weir.start(4, false);
    weir.pass();
    assertThat(weir.executor.waiting()).isEmpty();
    assertThat(weir.instance(run, "b").state()).isEqualTo(TaskState.FAILED);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void should_flip_a_finished_run_and_queue_it_again_to_run_every_task() throws Exception {
    harness(CHAIN, true);
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    goLive();

    DagRunRow failed =
        throughScheduler(() -> requests().markRun("m", run.runId(), RunState.FAILED));
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(weir.states(run).values()).containsOnly(TaskState.SUCCESS);
    DagRunRow again = throughScheduler(() -> requests().markRun("m", run.runId(), RunState.FAILED));
    assertThat(again.endDate()).isEqualTo(failed.endDate()); // the same state: a no-op

    DagRunRow queued =
        throughScheduler(() -> requests().markRun("m", run.runId(), RunState.QUEUED));

    assertThat(queued.state()).isIn(RunState.QUEUED, RunState.RUNNING, RunState.SUCCESS);
    weir.pass();
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.instance(run, "a").tryNumber()).isEqualTo(2);
    assertThat(weir.instance(run, "c").tryNumber()).isEqualTo(2);
  }

  @Test
  void should_mark_upstream_tasks_too_and_finish_a_queued_run_once_every_task_is_marked() {
    harness(CHAIN.replace("pausedAtCreation false", ""), true); // paused: the run stays queued
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.QUEUED);

    List<MarkedInstance> changed =
        requests()
            .markTasks(
                new MarkRequest(
                    "m", run.runId(), List.of("b"), null, TaskState.SUCCESS, true, false));

    assertThat(changed).extracting(MarkedInstance::taskId).containsExactly("a", "b");
    assertThat(weir.states(run)).containsEntry("c", TaskState.NONE);
    assertThat(weir.run("m", run.runId()).state()).isEqualTo(RunState.QUEUED);
    assertThat(requests().markTasks(mark(run.runId(), TaskState.SUCCESS, "a", "b")))
        .as("already success: left alone")
        .isEmpty();

    requests().markTasks(mark(run.runId(), TaskState.SUCCESS, "c"));

    DagRunRow done = weir.run("m", run.runId());
    assertThat(done.state()).isEqualTo(RunState.SUCCESS);
    assertThat(done.endDate()).isEqualTo(weir.clock.instant());
  }

  @Test
  void should_mark_one_instance_of_a_mapped_task() throws Exception {
    harness(
        "dag('m') { schedule none(); pausedAtCreation false\n"
            + " def items = task('items') { [1, 2, 3] }\n"
            + " def each = task('each', expand: items) { ctx -> 1 }\n"
            + " items >> each }",
        false);
    DagRunRow run = weir.trigger("m", null);
    weir.pass();
    weir.executor.runWaiting();
    weir.pass();
    assertThat(weir.executor.waiting()).hasSize(3);
    goLive();

    List<MarkedInstance> changed =
        throughScheduler(
            () ->
                requests()
                    .markTasks(
                        new MarkRequest(
                            "m", run.runId(), List.of("each"), 1, TaskState.FAILED, false, false)));

    assertThat(changed)
        .containsExactly(new MarkedInstance("each", 1, TaskState.RUNNING, TaskState.FAILED));
    assertThat(weir.instances(run).get("each[1]").state()).isEqualTo(TaskState.FAILED);
    assertThat(weir.instances(run).get("each[0]").state()).isEqualTo(TaskState.RUNNING);
    assertThatThrownBy(
            () ->
                throughScheduler(
                    () ->
                        requests()
                            .markTasks(
                                new MarkRequest(
                                    "m",
                                    run.runId(),
                                    List.of("each"),
                                    7,
                                    TaskState.FAILED,
                                    false,
                                    false))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "task 'each' of run '"
                + run.runId()
                + "' has no instance with map index 7;"
                + " its map indexes are 0 to 2");
  }

  @Test
  void should_let_the_next_run_go_on_when_a_failed_task_it_depends_on_is_marked_success()
      throws Exception {
    weir = new SchedulerHarness(temp, Instant.parse("2025-03-01T02:30:00Z"));
    weir.dag(
            "h.groovy",
            "dag('h') { schedule '@hourly'; startDate '2025-03-01'; catchup true\n"
                + " pausedAtCreation false\n task('load', dependsOnPast: true) { 1 } }")
        .start(4, false);
    weir.pass();
    List<DagRunRow> runs = weir.runs("h");
    weir.executor.end(waitingKey("load"), outcome(TaskState.FAILED));
    weir.pass();
    assertThat(weir.executor.waiting()).isEmpty();
    assertThat(weir.run("h", runs.get(0).runId()).state()).isEqualTo(RunState.FAILED);
    goLive();

    throughScheduler(
        () ->
            requests()
                .markTasks(
                    new MarkRequest(
                        "h",
                        runs.get(0).runId(),
                        List.of("load"),
                        null,
                        TaskState.SUCCESS,
                        false,
                        false)));

    assertThat(weir.run("h", runs.get(0).runId()).state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.executor.waiting())
        .extracting(TryRequest::runPk)
        .containsExactly(runs.get(1).id());
  }

  @Test
  void should_refuse_bad_requests_naming_what_is_wrong_and_change_nothing() throws Exception {
    harness(CHAIN, false);
    DagRunRow run = weir.trigger("m", null);
    // A removed instance, as a run of an older version could have, before the scheduler loads it.
    TaskInstanceRow c = weir.instance(run, "c");
    weir.store.write(new Batch().instance(TaskInstances.withState(c, TaskState.REMOVED)));
    weir.pass();
    Map<String, TaskInstanceRow> before = weir.instances(run);
    DagRunRow runBefore = weir.run("m", run.runId());
    String runId = run.runId();

    assertThatThrownBy(() -> requests().markTasks(mark(runId, TaskState.SUCCESS, "a", "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dag 'm' has no task 'nope'; its tasks: a, b, c");
    assertThatThrownBy(
            () ->
                requests()
                    .markTasks(
                        new MarkRequest(
                            "nope", runId, List.of("a"), null, TaskState.SUCCESS, false, false)))
        .hasMessageStartingWith("dag 'nope' is not in the metadata database");
    assertThatThrownBy(() -> requests().markTasks(mark("manual__nope", TaskState.SUCCESS, "a")))
        .hasMessage("dag 'm' has no run 'manual__nope'; its latest: " + runId);
    assertThatThrownBy(() -> requests().markTasks(mark(runId, TaskState.SKIPPED, "a")))
        .hasMessage("cannot mark task instances skipped; the state must be success or failed");
    assertThatThrownBy(() -> requests().markTasks(mark(runId, TaskState.SUCCESS)))
        .hasMessage("name at least one task to mark");
    assertThatThrownBy(
            () ->
                requests()
                    .markTasks(
                        new MarkRequest(
                            "m", runId, List.of("a"), 0, TaskState.SUCCESS, false, false)))
        .hasMessage("task 'a' is not mapped, so it has no map index 0");
    assertThatThrownBy(() -> requests().markTasks(mark(runId, TaskState.SUCCESS, "a", "c")))
        .hasMessage(
            "task instance 'c' of run '"
                + runId
                + "' is removed; a removed instance cannot be marked");
    assertThatThrownBy(() -> requests().markRun("m", runId, RunState.RUNNING))
        .hasMessage("cannot set a run to running; the state must be success, failed or queued");
    assertThatThrownBy(() -> requests().markRun("m", "manual__nope", RunState.SUCCESS))
        .hasMessageStartingWith("dag 'm' has no run 'manual__nope'");

    // Through the live scheduler, the same message comes back and nothing changes either.
    goLive();
    assertThatThrownBy(
            () ->
                throughScheduler(
                    () -> requests().markTasks(mark(runId, TaskState.FAILED, "a", "c"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is removed; a removed instance cannot be marked");

    assertThat(weir.instances(run)).isEqualTo(before);
    assertThat(weir.run("m", runId)).isEqualTo(runBefore);
    assertThat(weir.executor.cancelled()).isEmpty();
  }
}
