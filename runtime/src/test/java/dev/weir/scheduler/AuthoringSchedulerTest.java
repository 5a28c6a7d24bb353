package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.run.TryOutcome;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XCom, branching, short circuits, dynamic mapping and reschedules under the scheduler. */
class AuthoringSchedulerTest {
  @TempDir Path temp;
  private SchedulerHarness weir;

  @AfterEach
  void close() {
    if (weir != null) {
      weir.close();
    }
  }

  /** Starts a scheduler on one manual-only DAG {@code d} and runs one triggered run to its end. */
  private DagRunRow run(String tasks) {
    return run(tasks, true);
  }

  private DagRunRow run(String tasks, boolean runAtOnce) {
    weir = new SchedulerHarness(temp, Instant.parse("2025-03-01T00:00:00Z"));
    weir.dag(
            "d.groovy", "dag('d') {\n schedule none()\n pausedAtCreation false\n" + tasks + "\n}\n")
        .start(4, runAtOnce);
    DagRunRow run = weir.trigger("d", null);
    weir.pass();
    return weir.run("d", run.runId());
  }

  private Map<String, TaskState> states(DagRunRow run) {
    Map<String, TaskState> states = new java.util.LinkedHashMap<>();
    weir.instances(run).forEach((key, instance) -> states.put(key, instance.state()));
    return states;
  }

  @Test
  void should_pass_results_and_pushed_values_through_the_store() {
    DagRunRow run =
        run(
            """
            def a = task('a') { ctx -> ctx.xcom.push('rows', 42); [1, 2, 3] }
            def b = task('b') { ctx -> ctx.xcom.pull('a').sum() + ctx.xcom.pull('a', 'rows') }
            def c = bash('c') { command 'echo first; echo "{{ xcom.b }}-{{ xcom.a.1 }}"'; xcomPush true }
            def d = task('d') { ctx -> ctx.xcom.pull(['a', 'c']) }
            a >> b >> c >> d
            """);

    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.xcom(run, "a", -1, "return_value")).isEqualTo(List.of(1, 2, 3));
    assertThat(weir.xcom(run, "a", -1, "rows")).isEqualTo(42);
    assertThat(weir.xcom(run, "b", -1, "return_value")).isEqualTo(48);
    assertThat(weir.xcom(run, "c", -1, "return_value")).isEqualTo("48-2");
    assertThat(weir.xcom(run, "d", -1, "return_value"))
        .isEqualTo(List.of(List.of(1, 2, 3), "48-2"));
  }

  @Test
  void should_keep_no_result_of_a_bash_task_unless_asked() {
    DagRunRow run = run("bash('quiet') { command 'echo hello' }");

    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.store.xcoms(run.id())).isEmpty();
  }

  @Test
  void should_fail_a_task_whose_value_is_over_the_size_limit_and_say_so() {
    DagRunRow run = run("task('big') { 'x' * (2 * 1024 * 1024) }");

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(weir.instance(run, "big").error())
        .contains("XCom 'return_value' of task 'big'")
        .contains("over the limit of 1048576");
    assertThat(weir.store.xcoms(run.id())).isEmpty();
  }

  @Test
  void should_run_the_chosen_branch_skip_the_other_and_join_them() {
    DagRunRow run =
        run(
            """
            def pick = branch('pick') { ctx -> 'left' }
            def left = task('left') { 'L' }
            def right = task('right') { 'R' }
            def afterRight = task('after_right') { 1 }
            def join = task('join', triggerRule: 'none_failed_min_one_success') { 'joined' }
            pick >> [left, right]
            right >> afterRight
            [left, afterRight] >> join
            """);

    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(states(run))
        .containsEntry("pick", TaskState.SUCCESS)
        .containsEntry("left", TaskState.SUCCESS)
        .containsEntry("right", TaskState.SKIPPED)
        .containsEntry("after_right", TaskState.SKIPPED)
        .containsEntry("join", TaskState.SUCCESS);
    assertThat(weir.xcom(run, "pick", -1, "return_value")).isEqualTo(List.of("left"));
  }

  @Test
  void should_fail_a_branch_that_chooses_a_task_not_directly_downstream() {
    DagRunRow run =
        run(
            """
            def pick = branch('pick') { ctx -> ['a', 'nowhere'] }
            pick >> [task('a') { 1 }, task('b') { 2 }]
            """);

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(weir.instance(run, "pick").error())
        .isEqualTo(
            "branch 'pick' chose 'nowhere', which is not directly downstream of it; it can choose"
                + " a, b");
    assertThat(weir.instance(run, "a").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
  }

  @Test
  void should_skip_everything_downstream_of_a_false_short_circuit() {
    DagRunRow run =
        run(
            """
            def check = shortCircuit('check') { ctx -> ctx.params.size() > 0 }
            def load = task('load') { 1 }
            def report = task('report', triggerRule: 'all_done') { 2 }
            def other = task('other') { 3 }
            check >> load >> report
            other >> report
            """);

    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(states(run))
        .containsEntry("check", TaskState.SUCCESS)
        .containsEntry("load", TaskState.SKIPPED)
        .containsEntry("report", TaskState.SKIPPED)
        .containsEntry("other", TaskState.SUCCESS);
  }

  @Test
  void should_map_over_an_upstream_list_of_a_thousand_items_and_pull_every_result() {
    DagRunRow run =
        run(
            """
            def files = task('files') { (1..1000).collect { "f$it" } }
            def size = task('size', expand: files) { ctx -> ctx.item.length() * 10 + ctx.mapIndex % 2 }
            def total = task('total') { ctx -> ctx.xcom.pull('size').sum() }
            files >> size >> total
            """);

    assertThat(run.state())
        .as(
            "%s",
            weir.instances(run).values().stream().filter(i -> i.error() != null).limit(3).toList())
        .isEqualTo(RunState.SUCCESS);
    Map<String, TaskInstanceRow> instances = weir.instances(run);
    assertThat(instances).hasSize(1002).doesNotContainKey("size");
    assertThat(instances.get("size[999]").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(weir.xcom(run, "size", 0, "return_value")).isEqualTo(20);
    int expected = 0;
    for (int i = 1; i <= 1000; i++) {
      expected += ("f" + i).length() * 10 + (i - 1) % 2;
    }
    assertThat(weir.xcom(run, "total", -1, "return_value")).isEqualTo(expected);
  }

  @Test
  void should_retry_mapped_instances_one_by_one() {
    DagRunRow run =
        run(
            """
            def train = task('train', expand: [0.1, 0.01, 0.001], retries: 1, retryDelay: 0) { ctx ->
              if (ctx.mapIndex == 1 && ctx.tryNumber == 1) throw new IllegalStateException('diverged')
              ctx.item
            }
            def best = task('best') { ctx -> ctx.xcom.pull('train').min() }
            train >> best
            """);

    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.store.tries(run.id(), "train"))
        .extracting(TaskTryRow::mapIndex, TaskTryRow::tryNumber, TaskTryRow::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 1, TaskState.SUCCESS),
            org.assertj.core.groups.Tuple.tuple(1, 1, TaskState.FAILED),
            org.assertj.core.groups.Tuple.tuple(1, 2, TaskState.SUCCESS),
            org.assertj.core.groups.Tuple.tuple(2, 1, TaskState.SUCCESS));
    assertThat(weir.xcom(run, "best", -1, "return_value")).isEqualTo(0.001);

    // The command line names mapped instances by index and finds their logs.
    assertThat(cli("tasks", "states-for-dag-run", "d", run.runId()))
        .containsPattern("train\\[1\\]\\s+success\\s+2");
    assertThat(cli("tasks", "logs", "d", run.runId(), "train[1]", "--try", "1"))
        .contains("Starting try 1 of 2 of task train[1]")
        .contains("IllegalStateException: diverged");
  }

  private String cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        dev.weir.cli.Main.run(
            args,
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(err, true),
            Map.of("WEIR_HOME", weir.home.toString(), "WEIR_DAGS_FOLDER", weir.dags.toString()));
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void should_skip_a_task_mapped_over_an_empty_list_and_fail_one_over_the_limit() {
    DagRunRow run =
        run(
            """
            def none = task('none') { [] }
            def each = task('each', expand: none) { ctx -> ctx.item }
            def many = task('many') { (1..2000).toList() }
            def tooMany = task('too_many', expand: many) { ctx -> ctx.item }
            def notList = task('not_list') { 'abc' }
            def overText = task('over_text', expand: notList) { ctx -> ctx.item }
            none >> each
            many >> tooMany
            notList >> overText
            """);

    assertThat(states(run))
        .containsEntry("each", TaskState.SKIPPED)
        .containsEntry("too_many", TaskState.FAILED)
        .containsEntry("over_text", TaskState.FAILED);
    assertThat(weir.instance(run, "too_many").error())
        .isEqualTo(
            "mapped task 'too_many' would expand to 2000 instances, over the limit of 1024"
                + " (setting mapping.max-length)");
    assertThat(weir.instance(run, "over_text").error())
        .isEqualTo(
            "task 'over_text' is mapped over the result of 'not_list', which must be a list, but"
                + " is a String: abc");
  }

  @Test
  void should_expand_a_cleared_mapped_task_again_over_its_new_list() throws Exception {
    Path count = temp.resolve("count.txt");
    java.nio.file.Files.writeString(count, "2");
    DagRunRow run =
        run(
            """
            def list = task('list') { (1..(new File('%s').text.trim() as int)).toList() }
            def each = task('each', expand: list) { ctx -> ctx.item * 2 }
            list >> each
            """
                .formatted(count));
    assertThat(weir.instances(run)).containsKeys("each[0]", "each[1]").doesNotContainKey("each[2]");

    java.nio.file.Files.writeString(count, "3");
    new RunRequests(weir.store, weir.clock)
        .clear(
            new ClearRequest("d", List.of(run.runId()), null, null, "^list$", true, false, false));
    weir.pass();

    DagRunRow again = weir.run("d", run.runId());
    assertThat(again.state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.instances(again)).containsKeys("each[0]", "each[1]", "each[2]");
    assertThat(weir.xcom(again, "each", 2, "return_value")).isEqualTo(6);
  }

  @Test
  void should_free_the_slot_of_a_rescheduled_poke_and_poke_again_at_its_time() {
    DagRunRow run = run("task('wait') { 1 }\n task('other') { 2 }", false);
    weir.executor.end(
        weir.executor.waiting().get(0).key(),
        new TryOutcome(
            TaskState.UP_FOR_RESCHEDULE,
            null,
            null,
            Duration.ZERO,
            null,
            null,
            weir.clock.instant().plusSeconds(30)));
    weir.pass();

    TaskInstanceRow waiting = weir.instance(run, "wait");
    assertThat(waiting.state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
    assertThat(waiting.nextTryAt()).isEqualTo(weir.clock.instant().plusSeconds(30));
    assertThat(waiting.maxTries()).isEqualTo(2); // the poke did not use up the one try
    assertThat(weir.executor.waiting()).extracting(r -> r.taskId()).containsExactly("other");

    weir.clock.advance(Duration.ofSeconds(30));
    weir.pass();
    TryRequest poke =
        weir.executor.waiting().stream()
            .filter(r -> r.taskId().equals("wait"))
            .findFirst()
            .orElseThrow();
    assertThat(poke.tryNumber()).isEqualTo(2);
    assertThat(poke.attempt().firstStartedAt()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
  }
}
