package dev.weir.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.dsl.DagScriptCompiler;
import dev.weir.model.DagSpec;
import dev.weir.schedule.DataInterval;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDagRunTest {
  private static final Instant START = Instant.parse("2025-03-01T00:00:00Z");

  @TempDir Path logs;
  private final SettableClock clock = new SettableClock(START);
  private final List<Duration> sleeps = new ArrayList<>();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final InMemoryXComs xcoms = new InMemoryXComs();
  private final TaskRunner runner = new TaskRunner(TaskServices.local(xcoms));

  @AfterEach
  void close() {
    runner.close();
  }

  private LocalDagRun localRun() {
    return new LocalDagRun(
        runner,
        xcoms,
        clock,
        duration -> {
          sleeps.add(duration);
          clock.advance(duration);
        },
        logs,
        (task, line) -> lines.add(task + "|" + line));
  }

  private static DagSpec dag(String source) {
    return new DagScriptCompiler().load("dags/t.groovy", source).get(0);
  }

  private RunReport run(DagSpec dag, Map<String, Object> conf) throws InterruptedException {
    DataInterval interval = dag.timetable().intervalFor(Instant.parse("2025-03-01T03:00:00Z"));
    return localRun().run(new RunContext(dag, RunContext.runId("test", interval), interval, conf));
  }

  private static Map<String, TaskInstanceReport> byTask(RunReport report) {
    return report.taskInstances().stream()
        .collect(Collectors.toMap(TaskInstanceReport::taskId, Function.identity()));
  }

  @Test
  void should_run_tasks_in_dependency_order_and_keep_results() throws Exception {
    RunReport report =
        run(
            dag(
                """
                dag('d') {
                    def order = []
                    def a = task('a') { ctx -> 'A' }
                    def b = task('b') { ctx -> ctx.taskId + '@' + ctx.ds }
                    def c = empty('c')
                    a >> b >> c
                }
                """),
            Map.of());
    assertThat(report.state()).isEqualTo(RunState.SUCCESS);
    assertThat(report.taskInstances())
        .extracting(TaskInstanceReport::taskId)
        .containsExactly("a", "b", "c");
    assertThat(byTask(report).get("b").result()).isEqualTo("b@2025-03-01");
    assertThat(byTask(report).get("b").start()).isAfterOrEqualTo(byTask(report).get("a").end());
  }

  @Test
  void should_retry_with_exponential_delays_then_fail_and_propagate_upstream_failed()
      throws Exception {
    DagSpec dag =
        dag(
            """
            dag('d') {
                def a = task('a', retries: 3, retryDelay: 10.seconds, retryExponentialBackoff: true) { ctx ->
                    throw new IllegalStateException("try ${ctx.tryNumber} broke")
                }
                def b = empty('b')
                def cleanup = empty('cleanup') { triggerRule 'all_done' }
                a >> b >> cleanup
            }
            """);
    RunReport report = run(dag, Map.of());
    Map<String, TaskInstanceReport> tis = byTask(report);
    assertThat(tis.get("a").state()).isEqualTo(TaskState.FAILED);
    assertThat(tis.get("a").tryNumber()).isEqualTo(4);
    assertThat(tis.get("a").error()).isEqualTo("IllegalStateException: try 4 broke");
    assertThat(sleeps)
        .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40));
    assertThat(tis.get("b").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(tis.get("cleanup").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(report.state()).isEqualTo(RunState.SUCCESS);
    // Every try has its own log file.
    assertThat(tis.get("a").logFile().getFileName().toString()).isEqualTo("4.log");
    assertThat(Files.readString(tis.get("a").logFile().resolveSibling("1.log")))
        .contains("try 1 broke");
  }

  @Test
  void should_succeed_on_a_retry() throws Exception {
    RunReport report =
        run(
            dag(
                """
                dag('d') {
                    task('a', retries: 2, retryDelay: 1.second) { ctx ->
                        if (ctx.tryNumber < 2) throw new RuntimeException('not yet')
                        'done'
                    }
                }
                """),
            Map.of());
    assertThat(report.state()).isEqualTo(RunState.SUCCESS);
    assertThat(report.taskInstances().get(0).tryNumber()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void should_fail_the_run_when_a_leaf_fails() throws Exception {
    RunReport report = run(dag("dag('d') { bash('a') { command 'exit 4' } }"), Map.of());
    assertThat(report.state()).isEqualTo(RunState.FAILED);
    assertThat(report.taskInstances().get(0).error()).isEqualTo("command exited with 4");
  }

  @Test
  void should_skip_on_exit_code_99_and_propagate_skips_through_all_success() throws Exception {
    RunReport report =
        run(
            dag(
                """
                dag('d') {
                    def check = bash('check') { command 'exit 99' }
                    def other = empty('other')
                    def after = empty('after')
                    def join = empty('join') { triggerRule 'none_failed_min_one_success' }
                    check >> after >> join
                    other >> join
                }
                """),
            Map.of());
    Map<String, TaskInstanceReport> tis = byTask(report);
    assertThat(tis.get("check").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(tis.get("after").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(tis.get("join").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(report.state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void should_skip_when_task_code_throws_skip_task() throws Exception {
    RunReport report =
        run(
            dag(
                "dag('d') { task('a') { ctx -> throw new dev.weir.run.SkipTask('no data today') } }"),
            Map.of());
    assertThat(report.taskInstances().get(0).state()).isEqualTo(TaskState.SKIPPED);
  }

  @Test
  void should_render_templates_and_env_at_run_time_with_conf_over_params() throws Exception {
    Path out = logs.resolve("out.txt");
    RunReport report =
        run(
            dag(
                """
                dag('d') {
                    timezone 'Europe/Berlin'
                    params { region 'eu'; limit 10 }
                    bash('b') {
                        command 'echo "{{ ds }} {{ ds_nodash }} {{ params.region }} {{ params.limit }} {{ conf.extra }} $WEIR_DAG_ID $WEIR_TASK_ID $WEIR_DS $REGION" > "$OUT"'
                        env REGION: '{{ params.region | upper }}', OUT: '%s'
                    }
                }
                """
                    .formatted(out)),
            Map.of("region", "us", "extra", "x"));
    assertThat(report.state()).isEqualTo(RunState.SUCCESS);
    // 03:00Z on 2025-03-01 is 04:00 in Berlin: the run's day there is still 2025-03-01.
    assertThat(Files.readString(out).trim())
        .isEqualTo("2025-03-01 20250301 us 10 x d b 2025-03-01 US");
  }

  @Test
  void should_fail_a_task_whose_template_names_an_unknown_variable() throws Exception {
    RunReport report =
        run(dag("dag('d') { bash('b') { command 'echo {{ params.nope }}' } }"), Map.of());
    TaskInstanceReport ti = report.taskInstances().get(0);
    assertThat(ti.state()).isEqualTo(TaskState.FAILED);
    assertThat(ti.error())
        .startsWith("template in command: undefined template variable 'params.nope'");
  }

  @Test
  void should_stop_a_try_at_its_execution_timeout() throws Exception {
    RunReport report =
        run(
            dag(
                """
                dag('d') {
                    bash('slow', executionTimeout: 0.5.seconds) { command 'sleep 30' }
                    task('busy', executionTimeout: 0.5.seconds) { ctx -> while (true) { } }
                }
                """),
            Map.of());
    Map<String, TaskInstanceReport> tis = byTask(report);
    assertThat(tis.get("slow").state()).isEqualTo(TaskState.FAILED);
    assertThat(tis.get("slow").error()).startsWith("timed out after 500 ms");
    assertThat(tis.get("busy").state()).isEqualTo(TaskState.FAILED);
    assertThat(tis.get("busy").error()).startsWith("timed out after 500 ms");
  }

  @Test
  void should_stream_task_log_lines_to_the_listener() throws Exception {
    run(dag("dag('d') { task('t') { ctx -> ctx.log.info('rows: {}', 42) } }"), Map.of());
    assertThat(lines).anyMatch(line -> line.startsWith("t|") && line.endsWith("INFO rows: 42"));
  }

  @Test
  void should_run_one_task_alone_ignoring_upstream() throws Exception {
    DagSpec dag =
        dag(
            "dag('d') { def a = bash('a') { command 'exit 1' }; def b = task('b') { ctx -> 7 }; a >> b }");
    DataInterval interval = dag.timetable().intervalFor(START);
    TaskInstanceReport ti =
        localRun().runTask(new RunContext(dag, "manual__x", interval, Map.of()), "b");
    assertThat(ti.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(ti.result()).isEqualTo(7);
  }
}
