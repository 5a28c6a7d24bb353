package dev.weir.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskAction;
import dev.weir.model.TaskSpec;
import dev.weir.model.TriggerRule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagScriptTest {
  private final DagScriptCompiler compiler = new DagScriptCompiler();

  private DagSpec one(String source) {
    List<DagSpec> dags = compiler.load("dags/test.groovy", source);
    assertThat(dags).hasSize(1);
    return dags.get(0);
  }

  private DagDefinitionException error(String source) {
    try {
      compiler.load("dags/test.groovy", source);
    } catch (DagDefinitionException e) {
      return e;
    }
    throw new AssertionError("expected the script to be rejected");
  }

  @Test
  void should_build_dag_with_settings_defaults_and_dependencies() {
    DagSpec dag =
        one(
            """
            dag('daily_sales') {
                description "Load yesterday's sales"
                doc '# Sales'
                timezone 'Europe/Berlin'
                startDate '2025-01-01'
                catchup true
                maxActiveRuns 1
                maxActiveTasks 4
                pausedAtCreation false
                tags 'sales', 'etl'
                defaults { retries 2; retryDelay 1.minute; owner 'data-team' }

                def extract = bash('extract') { command 'echo {{ ds }}'; env FOO: 'bar'; cwd '/tmp' }
                def load    = task('load', retries: 5, executionTimeout: 30.seconds) { ctx -> 42 }
                def report  = empty('report') { triggerRule 'all_done'; retryExponentialBackoff true }
                extract >> load >> report
            }
            """);
    assertThat(dag.id()).isEqualTo("daily_sales");
    assertThat(dag.description()).isEqualTo("Load yesterday's sales");
    assertThat(dag.doc()).isEqualTo("# Sales");
    assertThat(dag.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-12-31T23:00:00Z"));
    assertThat(dag.catchup()).isTrue();
    assertThat(dag.maxActiveRuns()).isEqualTo(1);
    assertThat(dag.maxActiveTasks()).isEqualTo(4);
    assertThat(dag.pausedAtCreation()).isFalse();
    assertThat(dag.tags()).containsExactly("sales", "etl");
    assertThat(dag.topologicalOrder()).containsExactly("extract", "load", "report");
    assertThat(dag.roots()).containsExactly("extract");
    assertThat(dag.leaves()).containsExactly("report");
    assertThat(dag.upstream("load")).containsExactly("extract");
    assertThat(dag.downstream("load")).containsExactly("report");
    assertThat(dag.source().file()).isEqualTo("dags/test.groovy");
    assertThat(dag.source().line()).isEqualTo(1);
    assertThat(dag.source().sha256()).hasSize(64);

    TaskSpec extract = dag.task("extract").orElseThrow();
    assertThat(extract.action()).isInstanceOf(TaskAction.Bash.class);
    TaskAction.Bash bash = (TaskAction.Bash) extract.action();
    assertThat(bash.command()).isEqualTo("echo {{ ds }}");
    assertThat(bash.environment()).containsEntry("FOO", "bar");
    assertThat(bash.workingDirectory()).isEqualTo("/tmp");
    assertThat(extract.retries()).isEqualTo(2);
    assertThat(extract.retryDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(extract.owner()).isEqualTo("data-team");
    assertThat(extract.line()).isEqualTo(13);

    TaskSpec load = dag.task("load").orElseThrow();
    assertThat(load.retries()).isEqualTo(5);
    assertThat(load.executionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(((TaskAction.Code) load.action()).body().call((Object) null)).isEqualTo(42);

    TaskSpec report = dag.task("report").orElseThrow();
    assertThat(report.triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
    assertThat(report.retryExponentialBackoff()).isTrue();
    assertThat(report.pool()).isEqualTo("default_pool");
    assertThat(report.priorityWeight()).isEqualTo(1);
  }

  @Test
  void should_support_every_dependency_form() {
    DagSpec dag =
        one(
            """
            dag('deps') {
                def a = empty('a'); def b = empty('b'); def c = empty('c'); def d = empty('d')
                def e = empty('e'); def f = empty('f'); def g = empty('g'); def h = empty('h')
                def i = empty('i'); def j = empty('j'); def k = empty('k')
                a >> [b, c]
                [b, c] >> d
                e << d
                [f, g] << e
                h.setUpstream(f)
                h.setDownstream(i)
                chain(i, j, k)
            }
            """);
    assertThat(dag.downstream("a")).containsExactlyInAnyOrder("b", "c");
    assertThat(dag.upstream("d")).containsExactlyInAnyOrder("b", "c");
    assertThat(dag.upstream("e")).containsExactly("d");
    assertThat(dag.upstream("f")).containsExactly("e");
    assertThat(dag.upstream("g")).containsExactly("e");
    assertThat(dag.upstream("h")).containsExactly("f");
    assertThat(dag.upstream("i")).containsExactly("h");
    assertThat(dag.upstream("k")).containsExactly("j");
    assertThat(dag.upstream("j")).containsExactly("i");
  }

  @Test
  void should_not_append_to_a_list_literal_with_left_shift() {
    DagSpec dag =
        one(
            """
            dag('x') {
                def a = empty('a'); def b = empty('b'); def c = empty('c')
                def result = [a, b] << c
                assert result.is(c)
            }
            """);
    assertThat(dag.upstream("a")).containsExactly("c");
    assertThat(dag.upstream("b")).containsExactly("c");
  }

  @Test
  void should_keep_appending_to_list_variables_so_dynamic_dags_can_collect_tasks() {
    DagSpec dag =
        one(
            """
            dag('fan') {
                def start = empty('start')
                def trainers = []
                for (m in ['a', 'b', 'c']) {
                    trainers << task("train_${m}") { ctx -> m }
                }
                assert trainers.size() == 3
                start >> trainers >> empty('done')
            }
            """);
    assertThat(dag.downstream("start")).containsExactlyInAnyOrder("train_a", "train_b", "train_c");
    assertThat(dag.upstream("done")).containsExactlyInAnyOrder("train_a", "train_b", "train_c");
  }

  @Test
  void should_chain_left_to_right_with_long_chains() {
    DagSpec dag = one("dag('c') { empty('a') >> empty('b') >> empty('c') >> empty('d') }");
    assertThat(dag.topologicalOrder()).containsExactly("a", "b", "c", "d");
    assertThat(dag.graph().edgeSet()).hasSize(3);
  }

  @Test
  void should_prefix_group_ids_and_use_groups_on_both_sides() {
    DagSpec dag =
        one(
            """
            dag('ml') {
                def prepare = empty('prepare')
                def train = group('train') {
                    def split = empty('split')
                    split >> [empty('a'), empty('b')]
                    group('inner') { empty('deep') }
                }
                def pick = empty('pick')
                prepare >> train >> pick
            }
            """);
    assertThat(dag.tasks()).containsKeys("train.split", "train.a", "train.b", "train.inner.deep");
    assertThat(dag.task("train.a").orElseThrow().group()).isEqualTo("train");
    assertThat(dag.task("train.inner.deep").orElseThrow().group()).isEqualTo("train.inner");
    assertThat(dag.downstream("prepare"))
        .containsExactlyInAnyOrder("train.split", "train.inner.deep");
    assertThat(dag.upstream("pick"))
        .containsExactlyInAnyOrder("train.a", "train.b", "train.inner.deep");
  }

  @Test
  void should_define_several_dags_in_a_loop() {
    List<DagSpec> dags =
        compiler.load(
            "dags/many.groovy",
            """
            ['eu', 'us', 'apac'].each { region ->
                dag("sales_${region}") {
                    bash('extract') { command "fetch --region ${region}" }
                }
            }
            """);
    assertThat(dags).extracting(DagSpec::id).containsExactly("sales_eu", "sales_us", "sales_apac");
    assertThat(((TaskAction.Bash) dags.get(1).task("extract").orElseThrow().action()).command())
        .isEqualTo("fetch --region us");
  }

  @Test
  void should_read_params_with_types_and_options() {
    DagSpec dag =
        one(
            """
            dag('p') {
                params {
                    region 'eu', description: 'Sales region', allowed: ['eu', 'us']
                    limit 100
                    ratio 0.5, type: 'number'
                    param 'dry-run', false
                }
            }
            """);
    assertThat(dag.params()).containsOnlyKeys("region", "limit", "ratio", "dry-run");
    assertThat(dag.params().get("region").allowed()).containsExactly("eu", "us");
    assertThat(dag.params().get("region").description()).isEqualTo("Sales region");
    assertThat(dag.params().get("limit").type()).isEqualTo("integer");
    assertThat(dag.params().get("ratio").type()).isEqualTo("number");
    assertThat(dag.params().get("dry-run").defaultValue()).isEqualTo(false);
  }

  @Test
  void should_compute_exponential_retry_delays_with_a_cap() {
    DagSpec dag =
        one(
            """
            dag('r') {
                task('t', retries: 5, retryDelay: 10.seconds, retryExponentialBackoff: true,
                     maxRetryDelay: 35.seconds) { ctx -> }
            }
            """);
    TaskSpec t = dag.task("t").orElseThrow();
    assertThat(t.maxTries()).isEqualTo(6);
    assertThat(t.delayBeforeTry(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.delayBeforeTry(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(t.delayBeforeTry(4)).isEqualTo(Duration.ofSeconds(35));
  }

  @Test
  void should_report_syntax_error_with_file_and_line() {
    DagDefinitionException e = error("dag('x') {\n  empty('a')\n  empty('b') >> \n}\n}\n");
    assertThat(e.file()).isEqualTo("dags/test.groovy");
    assertThat(e.line()).isGreaterThan(0);
    assertThat(e.getMessage()).startsWith("dags/test.groovy:" + e.line() + ": ");
  }

  @Test
  void should_say_when_the_script_ends_inside_a_block() {
    DagDefinitionException e = error("dag('x') {\n  empty('a')\n  bash('b') { command 'ls'\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem()).isEqualTo("the script ends inside a block: a '}' or ')' is missing");
  }

  @Test
  void should_show_only_the_line_of_a_syntax_error() {
    DagDefinitionException e = error("dag('x') {\n  def a = empty('a'\n  def b = empty('b')\n}\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem())
        .startsWith("syntax error: unexpected input at 'def b'")
        .doesNotContain("\n");
  }

  @Test
  void should_reject_a_broken_template_when_the_script_loads() {
    DagDefinitionException e =
        error("dag('x') {\n  bash('b') {\n    command 'echo {{ ds | lowercase }}'\n  }\n}\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem())
        .startsWith("bash task 'b': template in command: unknown template filter 'lowercase'");
    assertThat(error("dag('x') {\n  bash('b') { command 'ls'; env X: '{{ ds' }\n}").problem())
        .startsWith("bash task 'b': template in env X: ");
  }

  @Test
  void should_suggest_the_closest_keyword_for_an_unknown_one() {
    DagDefinitionException e = error("dag('x') {\n  descripton 'hi'\n}\n");
    assertThat(e.getMessage())
        .isEqualTo(
            "dags/test.groovy:2: unknown keyword 'descripton' in dag 'x'; did you mean"
                + " 'description'? (task kinds: task, bash, empty, branch, shortCircuit, sql,"
                + " sqlToSql, http, python, email, operator, sensor, fileSensor, sqlSensor,"
                + " httpSensor, externalTaskSensor, dateTimeSensor, triggerDagRun)");
  }

  @Test
  void should_name_unknown_task_kind() {
    DagDefinitionException e = error("dag('x') {\n  empty('a')\n  bsh('b') { command 'ls' }\n}\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem()).contains("unknown keyword 'bsh'").contains("did you mean 'bash'?");
  }

  @Test
  void should_reject_unknown_setting_inside_a_task_block() {
    DagDefinitionException e = error("dag('x') {\n  bash('b') {\n    comand 'ls'\n  }\n}\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem())
        .contains("unknown keyword 'comand' in bash task 'b'; did you mean 'command'?");
  }

  @Test
  void should_reject_unknown_top_level_keyword() {
    DagDefinitionException e = error("dga('x') { }\n");
    assertThat(e.getMessage())
        .isEqualTo(
            "dags/test.groovy:1: unknown keyword 'dga' at the top of the script; did you mean 'dag'?");
  }

  @Test
  void should_name_unknown_variable_and_suggest_task() {
    DagDefinitionException e =
        error("dag('x') {\n  def extract = empty('extract')\n  extrct >> empty('b')\n}\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem()).contains("unknown name 'extrct'").contains("did you mean 'extract'?");
  }

  @Test
  void should_name_the_tasks_of_a_cycle() {
    DagDefinitionException e =
        error(
            "dag('x') {\n  def a = empty('a'); def b = empty('b'); def c = empty('c')\n"
                + "  a >> b >> c\n  c >> a\n}\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.problem()).contains("cycle: a >> b >> c >> a");
  }

  @Test
  void should_reject_a_task_depending_on_itself() {
    assertThat(error("dag('x') {\n  def a = empty('a')\n  a >> a\n}").problem())
        .contains("task 'a' cannot depend on itself");
  }

  @Test
  void should_reject_duplicate_task_ids_with_both_lines() {
    DagDefinitionException e = error("dag('x') {\n  empty('a')\n  empty('a')\n}\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem()).isEqualTo("task id 'a' is already used at line 2 of dag 'x'");
  }

  @Test
  void should_reject_duplicate_dag_ids_in_one_file() {
    DagDefinitionException e = error("dag('x') { }\ndag('x') { }\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem()).contains("dag id 'x' is already defined at line 1");
  }

  @Test
  void should_reject_dependencies_across_dags() {
    DagDefinitionException e =
        error("def a\ndag('one') { a = empty('a') }\ndag('two') {\n  a >> empty('b')\n}\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.problem()).contains("dependencies cannot cross DAGs");
  }

  @Test
  void should_reject_unknown_trigger_rule_with_suggestion() {
    DagDefinitionException e = error("dag('x') {\n  empty('a') { triggerRule 'all_sucess' }\n}\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem())
        .startsWith("unknown trigger rule 'all_sucess'; did you mean 'all_success'?");
  }

  @Test
  void should_name_the_bad_field_of_an_invalid_cron() {
    DagDefinitionException e =
        error("dag('x') {\n  startDate '2025-01-01'\n  schedule '0 25 * * *'\n}\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem()).contains("hour field '25'").contains("0-23");
    assertThat(error("dag('x') {\n  schedule '@dayly'\n}").problem())
        .contains("did you mean '@daily'?");
  }

  @Test
  void should_accept_every_and_none_schedules() {
    DagSpec every = one("dag('e') {\n  schedule every(6.hours)\n  startDate '2025-01-01'\n}");
    assertThat(every.schedule().describe()).isEqualTo("every 6h");
    assertThat(every.timetable().firstInterval().orElseThrow().end())
        .isEqualTo(Instant.parse("2025-01-01T06:00:00Z"));
    DagSpec manual = one("dag('m') { schedule none() }");
    assertThat(manual.timetable().firstInterval()).isEmpty();
  }

  @Test
  void should_reject_unknown_time_zone_with_suggestion() {
    DagDefinitionException e = error("dag('x') {\n  timezone 'Europe/Berln'\n}\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem())
        .isEqualTo("unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'?");
  }

  @Test
  void should_require_start_date_for_scheduled_dag() {
    DagDefinitionException e = error("\ndag('x') {\n  schedule '@daily'\n}\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem()).contains("dag 'x' has schedule '@daily' but no startDate");
  }

  @Test
  void should_reject_end_date_before_start_date() {
    DagDefinitionException e =
        error(
            "dag('x') {\n  schedule '@daily'\n  startDate '2025-02-01'\n  endDate '2025-01-01'\n}\n");
    assertThat(e.problem())
        .contains("endDate 2025-01-01T00:00:00Z before its startDate 2025-02-01T00:00:00Z");
  }

  @Test
  void should_reject_bad_dates_and_values_with_the_setting_named() {
    assertThat(error("dag('x') {\n  startDate '01/02/2025'\n}").problem())
        .startsWith("startDate '01/02/2025' is not a date");
    assertThat(error("dag('x') {\n  task('t', retries: 'two') { }\n}").problem())
        .isEqualTo("retries takes a whole number of 0 or more, got String 'two'");
    assertThat(error("dag('x') {\n  empty('t') { retryDelay '5m' }\n}").problem())
        .startsWith("retryDelay takes a duration such as 30.seconds");
    assertThat(error("dag('x') {\n  empty('t', retires: 1)\n}").problem())
        .isEqualTo("unknown task setting 'retires'; did you mean 'retries'?");
    assertThat(error("dag('x') {\n  bash('t') { }\n}").problem()).contains("has no command");
    assertThat(error("dag('bad/id') { }").problem()).startsWith("dag id 'bad/id' is not valid");
    assertThat(error("dag('x') { empty('..') }").problem()).startsWith("task id '..' is not valid");
  }

  @Test
  void should_report_a_script_that_throws_with_its_line() {
    DagDefinitionException e = error("dag('x') { }\n\nthrow new IllegalStateException('boom')\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.problem()).isEqualTo("the script failed: IllegalStateException: boom");
  }

  @Test
  void should_reject_system_exit_at_compile_time() {
    DagDefinitionException e = error("dag('x') { }\nSystem.exit(3)\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem()).contains("would stop the whole Weir process");
    assertThat(error("Runtime.getRuntime().halt(1)").problem()).contains("halt");
    assertThat(error("dag('x') { task('t') { ctx -> System.exit(1) } }").problem())
        .contains("exit");
  }

  @Test
  void should_stop_an_endless_loop_when_interrupted() throws Exception {
    CompiledScript compiled =
        compiler.compile("dags/loop.groovy", "while (true) { }\n", getClass().getClassLoader());
    Throwable[] thrown = new Throwable[1];
    Thread thread =
        new Thread(
            () -> {
              try {
                compiler.evaluate(compiled);
              } catch (Throwable t) {
                thrown[0] = t;
              }
            });
    thread.start();
    thread.join(200);
    assertThat(thread.isAlive()).isTrue();
    thread.interrupt();
    thread.join(5_000);
    assertThat(thread.isAlive()).isFalse();
    assertThat(thrown[0])
        .isInstanceOf(DagDefinitionException.class)
        .hasMessageContaining("interrupted");
    compiled.close();
  }

  @Test
  void should_not_let_a_task_body_change_its_dag_after_definition() {
    DagSpec dag = one("dag('x') {\n  task('t') { ctx -> catchup true }\n}\n");
    TaskAction.Code code = (TaskAction.Code) dag.task("t").orElseThrow().action();
    assertThatThrownBy(() -> code.body().call((Object) null))
        .isInstanceOf(groovy.lang.MissingMethodException.class);
    assertThat(dag.catchup()).isFalse();
  }
}
