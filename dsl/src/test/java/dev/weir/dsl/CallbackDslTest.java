package dev.weir.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.Callbacks;
import dev.weir.model.DagSpec;
import dev.weir.model.Deadline;
import dev.weir.model.TaskAction;
import dev.weir.model.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks, notifiers, Airflow's email settings and deadlines, as scripts write them. */
class CallbackDslTest {
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

  private String problem(String dagBody) {
    return error("dag('d') {\n" + dagBody + "\n}\n").problem();
  }

  private static Callbacks callbacks(DagSpec dag, String task) {
    return dag.task(task).orElseThrow().callbacks();
  }

  private static Callback.Email mail(String... to) {
    return new Callback.Email(List.of(to), null, null);
  }

  @Test
  void should_set_each_task_event_in_a_task_block() {
    DagSpec dag =
        one(
            """
            dag('d') {
                bash('b') {
                    command 'ls'
                    onSuccess { ctx -> 'ok ' + ctx }
                    onFailure email(to: 'a@x.io')
                    onRetry webhook(conn: 'slack')
                    onSkipped webhook(url: 'https://hooks.example/x')
                }
            }
            """);
    Callbacks b = callbacks(dag, "b");
    Callback.Code success = (Callback.Code) b.on(CallbackEvent.TASK_SUCCESS).get(0);
    assertThat(success.body().call("ctx")).isEqualTo("ok ctx");
    assertThat(b.on(CallbackEvent.TASK_FAILURE)).containsExactly(mail("a@x.io"));
    assertThat(b.on(CallbackEvent.TASK_RETRY)).containsExactly(new Callback.Webhook("slack", null));
    assertThat(b.on(CallbackEvent.TASK_SKIPPED))
        .containsExactly(new Callback.Webhook(null, "https://hooks.example/x"));
    assertThat(b.on(CallbackEvent.RUN_FAILURE)).isEmpty();
  }

  @Test
  void should_set_callbacks_as_named_arguments() {
    DagSpec dag =
        one(
            """
            dag('d') {
                task('t', onFailure: email(to: 'a@x.io'), onSuccess: { ctx -> 1 }) { ctx -> }
                empty('e', onRetry: [webhook(conn: 'a'), webhook(conn: 'b')])
            }
            """);
    assertThat(callbacks(dag, "t").on(CallbackEvent.TASK_FAILURE)).containsExactly(mail("a@x.io"));
    assertThat(callbacks(dag, "t").on(CallbackEvent.TASK_SUCCESS).get(0))
        .isInstanceOf(Callback.Code.class);
    assertThat(callbacks(dag, "e").on(CallbackEvent.TASK_RETRY))
        .containsExactly(new Callback.Webhook("a", null), new Callback.Webhook("b", null));
  }

  @Test
  void should_keep_several_callbacks_in_order_in_every_form() {
    DagSpec dag =
        one(
            """
            dag('d') {
                empty('several') { onFailure email(to: 'a@x.io'), webhook(conn: 'slack'), { ctx -> 3 } }
                empty('list') { onFailure([webhook(conn: 'one'), email(to: ['b@x.io', 'c@x.io'])]) }
                empty('twice') { onFailure webhook(conn: 'first'); onFailure webhook(conn: 'second') }
            }
            """);
    List<Callback> several = callbacks(dag, "several").on(CallbackEvent.TASK_FAILURE);
    assertThat(several).hasSize(3);
    assertThat(several.get(0)).isEqualTo(mail("a@x.io"));
    assertThat(several.get(1)).isEqualTo(new Callback.Webhook("slack", null));
    assertThat(((Callback.Code) several.get(2)).body().call((Object) null)).isEqualTo(3);
    assertThat(callbacks(dag, "list").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("one", null), mail("b@x.io", "c@x.io"));
    assertThat(callbacks(dag, "twice").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("first", null), new Callback.Webhook("second", null));
  }

  @Test
  void should_inherit_callbacks_from_dag_and_group_defaults_event_by_event() {
    DagSpec dag =
        one(
            """
            dag('d') {
                defaults {
                    onFailure webhook(conn: 'dag-failure')
                    onRetry webhook(conn: 'dag-retry')
                }
                empty('plain')
                empty('own', onFailure: webhook(conn: 'own-failure'))
                empty('off') { onFailure([]) }
                group('g') {
                    defaults { onRetry webhook(conn: 'group-retry'); onSuccess webhook(conn: 'group-ok') }
                    empty('inner')
                    empty('mine') { onSuccess webhook(conn: 'mine-ok') }
                }
            }
            """);
    Callbacks plain = callbacks(dag, "plain");
    assertThat(plain.on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("dag-failure", null));
    assertThat(plain.on(CallbackEvent.TASK_RETRY))
        .containsExactly(new Callback.Webhook("dag-retry", null));

    Callbacks own = callbacks(dag, "own");
    assertThat(own.on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("own-failure", null));
    assertThat(own.on(CallbackEvent.TASK_RETRY))
        .containsExactly(new Callback.Webhook("dag-retry", null));

    assertThat(callbacks(dag, "off").on(CallbackEvent.TASK_FAILURE)).isEmpty();

    Callbacks inner = callbacks(dag, "g.inner");
    assertThat(inner.on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("dag-failure", null));
    assertThat(inner.on(CallbackEvent.TASK_RETRY))
        .containsExactly(new Callback.Webhook("group-retry", null));
    assertThat(inner.on(CallbackEvent.TASK_SUCCESS))
        .containsExactly(new Callback.Webhook("group-ok", null));
    assertThat(callbacks(dag, "g.mine").on(CallbackEvent.TASK_SUCCESS))
        .containsExactly(new Callback.Webhook("mine-ok", null));
    assertThat(callbacks(dag, "g.mine").on(CallbackEvent.TASK_RETRY))
        .containsExactly(new Callback.Webhook("group-retry", null));
  }

  @Test
  void should_build_notifiers_with_every_argument() {
    DagSpec dag =
        one(
            """
            def oncall = email(to: 'oncall@x.io', subject: '{{ dag_id }} failed', conn: 'smtp_alerts')
            dag('d') {
                empty('e') { onFailure oncall, webhook(url: 'http://localhost:9/hook') }
            }
            """);
    assertThat(callbacks(dag, "e").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(
            new Callback.Email(List.of("oncall@x.io"), "{{ dag_id }} failed", "smtp_alerts"),
            new Callback.Webhook(null, "http://localhost:9/hook"));
  }

  @Test
  void should_reject_bad_email_notifiers_naming_what_is_wrong() {
    assertThat(problem("empty('e') { onFailure email(subject: 'x') }"))
        .isEqualTo("email(…) notifier needs to: email(to: 'oncall@example.org')");
    assertThat(problem("empty('e') { onFailure email(to: []) }"))
        .isEqualTo("email(…) notifier: to names no recipient; write to: 'oncall@example.org'");
    assertThat(problem("empty('e') { onFailure email(to: ['a@x.io', 3]) }"))
        .isEqualTo(
            "email(…) notifier: to takes email addresses such as 'oncall@example.org', got"
                + " Integer '3'");
    assertThat(problem("empty('e') { onFailure email(to: 'oncall') }"))
        .isEqualTo(
            "email(…) notifier: to: 'oncall' is not an email address; write it as"
                + " name@example.org");
    assertThat(problem("empty('e') { onFailure email(to: 'a@x.io', subjet: 'x') }"))
        .isEqualTo(
            "email(…) notifier: unknown argument 'subjet'; did you mean 'subject'? (arguments:"
                + " to, subject, conn)");
    assertThat(problem("empty('e') { onFailure email(to: 'a@x.io', conn: '') }"))
        .isEqualTo("email(…) notifier: conn takes a non-empty string, got String ''");
  }

  @Test
  void should_reject_bad_webhook_notifiers_naming_what_is_wrong() {
    assertThat(problem("onFailure webhook(conn: 'a', url: 'https://x.io')"))
        .isEqualTo(
            "webhook(…) notifier takes either conn: 'slack' (a connection holding the URL) or"
                + " url: 'https://…', not both");
    assertThat(problem("onFailure webhook([:])"))
        .isEqualTo(
            "webhook(…) notifier takes either conn: 'slack' (a connection holding the URL) or"
                + " url: 'https://…', and got neither");
    assertThat(problem("onFailure webhook(url: 'ftp://x.io/a')"))
        .isEqualTo(
            "webhook(…) notifier: url 'ftp://x.io/a' must be an http:// or https:// URL with a"
                + " host");
    assertThat(problem("onFailure webhook(url: 'https://bad host/')"))
        .startsWith("webhook(…) notifier: url 'https://bad host/' is not a URL: ");
    assertThat(problem("onFailure webhook(con: 'slack')"))
        .isEqualTo(
            "webhook(…) notifier: unknown argument 'con'; did you mean 'conn'? (arguments:"
                + " conn, url)");
  }

  @Test
  void should_reject_a_value_that_is_no_callback_naming_the_setting() {
    assertThat(problem("empty('e') { onFailure 'page me' }"))
        .isEqualTo(
            "onFailure takes a closure { ctx -> … }, email(to: …), webhook(…) or a list of them,"
                + " got String 'page me'");
    assertThat(problem("empty('e', onRetry: [webhook(conn: 'a'), 42])"))
        .isEqualTo(
            "onRetry takes a closure { ctx -> … }, email(to: …), webhook(…) or a list of them,"
                + " got Integer '42'");
    assertThat(problem("defaults { onSkipped { a, b -> } }"))
        .isEqualTo("the closure of onSkipped takes at most one parameter, the callback context");
    assertThat(problem("onSuccess 1"))
        .isEqualTo(
            "dag 'd': onSuccess takes a closure { ctx -> … }, email(to: …), webhook(…) or a list"
                + " of them, got Integer '1'");
  }

  @Test
  void should_keep_the_email_operator_next_to_email_notifiers() {
    DagSpec dag =
        one(
            """
            dag('d') {
                def alert = email(to: 'oncall@x.io')
                email('send', onFailure: alert) {
                    conn 'smtp'; to 'reader@x.io'; subject 'Report'
                    onRetry email(to: ['a@x.io', 'b@x.io'], subject: 'retrying')
                }
                email('short', conn: 'smtp', to: 'c@x.io', subject: 'Hi')
            }
            """);
    TaskSpec send = dag.task("send").orElseThrow();
    TaskAction.Email action = (TaskAction.Email) send.action();
    assertThat(action.to()).containsExactly("reader@x.io");
    assertThat(action.subject()).isEqualTo("Report");
    assertThat(send.callbacks().on(CallbackEvent.TASK_FAILURE))
        .containsExactly(mail("oncall@x.io"));
    assertThat(send.callbacks().on(CallbackEvent.TASK_RETRY))
        .containsExactly(new Callback.Email(List.of("a@x.io", "b@x.io"), "retrying", null));
    assertThat(((TaskAction.Email) dag.task("short").orElseThrow().action()).to())
        .containsExactly("c@x.io");
  }

  @Test
  void should_email_on_failure_and_retry_as_airflow_does() {
    DagSpec dag =
        one(
            """
            dag('d') {
                defaults { email 'oncall@x.io'; onFailure webhook(conn: 'slack') }
                empty('both')
                empty('noRetry') { emailOnRetry false }
                empty('noFailure', emailOnFailure: false)
                empty('own') { email(['a@x.io', 'b@x.io']); onRetry webhook(conn: 'r') }
                empty('nobody') { email([]) }
                bash('b') { command 'ls'; email 'c@x.io', 'd@x.io'; emailOnFailure false; emailOnRetry true }
                group('g') {
                    defaults { emailOnFailure false }
                    empty('inner')
                }
            }
            """);
    Callbacks both = callbacks(dag, "both");
    assertThat(both.on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("slack", null), mail("oncall@x.io"));
    assertThat(both.on(CallbackEvent.TASK_RETRY)).containsExactly(mail("oncall@x.io"));

    assertThat(callbacks(dag, "noRetry").on(CallbackEvent.TASK_RETRY)).isEmpty();
    assertThat(callbacks(dag, "noRetry").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("slack", null), mail("oncall@x.io"));
    assertThat(callbacks(dag, "noFailure").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("slack", null));
    assertThat(callbacks(dag, "noFailure").on(CallbackEvent.TASK_RETRY))
        .containsExactly(mail("oncall@x.io"));

    assertThat(callbacks(dag, "own").on(CallbackEvent.TASK_RETRY))
        .containsExactly(new Callback.Webhook("r", null), mail("a@x.io", "b@x.io"));
    assertThat(callbacks(dag, "nobody").on(CallbackEvent.TASK_RETRY)).isEmpty();
    assertThat(callbacks(dag, "b").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("slack", null));
    assertThat(callbacks(dag, "b").on(CallbackEvent.TASK_RETRY))
        .containsExactly(mail("c@x.io", "d@x.io"));
    assertThat(callbacks(dag, "g.inner").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(new Callback.Webhook("slack", null));
    assertThat(callbacks(dag, "g.inner").on(CallbackEvent.TASK_RETRY))
        .containsExactly(mail("oncall@x.io"));
  }

  @Test
  void should_send_no_email_when_no_address_is_set() {
    DagSpec dag = one("dag('d') {\n  empty('e') { emailOnFailure true }\n}\n");
    assertThat(callbacks(dag, "e").isEmpty()).isTrue();
  }

  @Test
  void should_reject_bad_email_settings() {
    assertThat(problem("defaults { email 'oncall' }"))
        .isEqualTo("email: 'oncall' is not an email address; write it as name@example.org");
    assertThat(problem("empty('e', email: 5)"))
        .isEqualTo("email takes email addresses such as 'oncall@example.org', got Integer '5'");
    assertThat(problem("empty('e') { emailOnRetry 'no' }"))
        .isEqualTo("emailOnRetry takes true or false, got String 'no'");
    assertThat(problem("email 'oncall@x.io'"))
        .startsWith(
            "email 'oncall@x.io' in dag 'd': to email someone when tasks fail, write defaults {"
                + " email 'oncall@example.org' }");
  }

  @Test
  void should_set_run_callbacks_in_the_dag_block() {
    DagSpec dag =
        one(
            """
            dag('d') {
                onSuccess { ctx -> 'done' }
                onFailure email(to: 'oncall@x.io'), webhook(conn: 'slack')
                empty('e')
            }
            """);
    Callbacks run = dag.runCallbacks();
    assertThat(
            ((Callback.Code) run.on(CallbackEvent.RUN_SUCCESS).get(0)).body().call((Object) null))
        .isEqualTo("done");
    assertThat(run.on(CallbackEvent.RUN_FAILURE))
        .containsExactly(mail("oncall@x.io"), new Callback.Webhook("slack", null));
    assertThat(callbacks(dag, "e").isEmpty()).isTrue();
    assertThat(one("dag('d') { empty('e') }").runCallbacks().isEmpty()).isTrue();
  }

  @Test
  void should_say_where_task_level_callbacks_belong() {
    assertThat(problem("onRetry email(to: 'a@x.io')"))
        .isEqualTo(
            "onRetry in dag 'd' is a task setting (it runs when a task is retried): put it in"
                + " defaults { onRetry … } for every task here, or on a task");
    assertThat(problem("onSkipped { ctx -> }"))
        .isEqualTo(
            "onSkipped in dag 'd' is a task setting (it runs when a task skips itself): put it"
                + " in defaults { onSkipped … } for every task here, or on a task");
    assertThat(problem("group('g') { onFailure { ctx -> } }"))
        .isEqualTo(
            "onFailure in group 'g' is not a group setting: put it in the group's defaults {"
                + " onFailure … } for its tasks, or in the dag block for the whole run");
  }

  @Test
  void should_set_a_deadline_after_each_reference() {
    Deadline plain = one("dag('d') { deadline 2.hours }").deadline().orElseThrow();
    assertThat(plain.interval()).isEqualTo(Duration.ofHours(2));
    assertThat(plain.reference()).isEqualTo(Deadline.Reference.DATA_INTERVAL_END);
    assertThat(plain.onMiss()).isEmpty();
    assertThat(one("dag('d') { empty('e') }").deadline()).isEmpty();

    for (Deadline.Reference reference : Deadline.Reference.values()) {
      Deadline deadline =
          one("dag('d') { deadline 30.minutes, after: '" + reference.scriptName() + "' }")
              .deadline()
              .orElseThrow();
      assertThat(deadline.reference()).isEqualTo(reference);
      assertThat(deadline.interval()).isEqualTo(Duration.ofMinutes(30));
    }
  }

  @Test
  void should_take_on_miss_callbacks_in_every_form() {
    Deadline one =
        one("dag('d') { deadline(1.hour, onMiss: webhook(conn: 'slack')) }")
            .deadline()
            .orElseThrow();
    assertThat(one.onMiss()).containsExactly(new Callback.Webhook("slack", null));

    Deadline several =
        one("""
                dag('d') {
                    deadline 1.hour, after: 'queued_at', onMiss: [email(to: 'a@x.io'), { ctx -> ctx }]
                }
                """)
            .deadline()
            .orElseThrow();
    assertThat(several.reference()).isEqualTo(Deadline.Reference.QUEUED_AT);
    assertThat(several.onMiss().get(0)).isEqualTo(mail("a@x.io"));
    assertThat(((Callback.Code) several.onMiss().get(1)).body().call("c")).isEqualTo("c");

    Deadline closure =
        one("dag('d') { deadline 1.hour, onMiss: { ctx -> 7 } }").deadline().orElseThrow();
    assertThat(((Callback.Code) closure.onMiss().get(0)).body().call((Object) null)).isEqualTo(7);
  }

  @Test
  void should_reject_bad_deadlines_naming_the_dag() {
    assertThat(problem("deadline 0.minutes"))
        .isEqualTo("dag 'd': deadline must be longer than zero, got PT0S");
    assertThat(problem("deadline Duration.ofHours(-1)"))
        .isEqualTo("dag 'd': deadline must be longer than zero, got PT-1H");
    assertThat(problem("deadline '2h'"))
        .isEqualTo(
            "dag 'd': deadline takes a duration such as 30.minutes or 2.hours, got String '2h'");
    assertThat(problem("deadline 2.hours, after: 'logical_dat'"))
        .isEqualTo(
            "dag 'd': deadline: unknown reference after: 'logical_dat'; did you mean"
                + " 'logical_date'? (references: logical_date, data_interval_end, queued_at)");
    assertThat(problem("deadline 2.hours, onMis: webhook(conn: 'x')"))
        .isEqualTo(
            "dag 'd': deadline: unknown argument 'onMis'; did you mean 'onMiss'? (arguments:"
                + " after, onMiss)");
    assertThat(problem("deadline 2.hours, onMiss: 'me'"))
        .isEqualTo(
            "dag 'd': deadline: onMiss takes a closure { ctx -> … }, email(to: …), webhook(…) or"
                + " a list of them, got String 'me'");
    assertThat(problem("deadline after: 'queued_at'"))
        .isEqualTo(
            "dag 'd': deadline needs an interval first: deadline 2.hours, after:"
                + " 'data_interval_end'");
    DagDefinitionException twice = error("dag('d') {\n  deadline 1.hour\n  deadline 2.hours\n}\n");
    assertThat(twice.line()).isEqualTo(3);
    assertThat(twice.problem())
        .isEqualTo("dag 'd': deadline is already set at line 2; a DAG has one deadline");
  }

  @Test
  void should_suggest_the_new_keywords_when_misspelt() {
    assertThat(problem("onFailur { ctx -> }")).contains("did you mean 'onFailure'?");
    assertThat(problem("deadlin 2.hours")).contains("did you mean 'deadline'?");
    assertThat(problem("empty('e') { emailOnFailur false }"))
        .contains(
            "unknown keyword 'emailOnFailur' in empty task 'e'; did you mean 'emailOnFailure'?");
    assertThat(problem("empty('e', onFailur: { ctx -> })"))
        .isEqualTo("unknown task setting 'onFailur'; did you mean 'onFailure'?");
    assertThat(problem("defaults { webhok(conn: 'x') }")).contains("did you mean 'webhook'?");
  }

  @Test
  void should_load_a_script_using_everything_from_a_file(@TempDir Path dags) throws Exception {
    String source =
        """
        def oncall = email(to: 'oncall@x.io', subject: '{{ dag_id }}: {{ task_id }} failed')

        dag('nightly') {
            onFailure oncall, webhook(conn: 'slack')
            onSuccess { ctx -> ctx.log.info('run {} done', ctx.runId) }
            deadline 3.hours, after: 'logical_date', onMiss: webhook(url: 'https://hooks.example/late')
            defaults {
                email 'team@x.io'
                emailOnRetry false
                onRetry { ctx -> ctx.log.warn('retrying {}', ctx.taskId) }
            }
            def load = bash('load') {
                command 'echo load'
                onFailure oncall
            }
            def report = group('report') {
                defaults { onSkipped webhook(conn: 'slack') }
                shortCircuit('weekday') { ctx -> true } >> email('send') {
                    conn 'smtp'; to 'boss@x.io'; subject 'Report {{ ds }}'
                }
            }
            load >> report
        }
        """;
    Path script = Files.writeString(dags.resolve("nightly.groovy"), source);
    DagSpec dag =
        compiler
            .evaluate(
                compiler.compile(
                    "dags/nightly.groovy",
                    source,
                    getClass().getClassLoader(),
                    new ScriptLocation(script, dags)))
            .get(0);
    assertThat(dag.runCallbacks().on(CallbackEvent.RUN_FAILURE)).hasSize(2);
    assertThat(dag.runCallbacks().on(CallbackEvent.RUN_SUCCESS)).hasSize(1);
    assertThat(dag.deadline().orElseThrow().reference()).isEqualTo(Deadline.Reference.LOGICAL_DATE);
    Callbacks load = callbacks(dag, "load");
    assertThat(load.on(CallbackEvent.TASK_FAILURE))
        .containsExactly(
            new Callback.Email(List.of("oncall@x.io"), "{{ dag_id }}: {{ task_id }} failed", null),
            mail("team@x.io"));
    assertThat(load.on(CallbackEvent.TASK_RETRY))
        .hasSize(1)
        .first()
        .isInstanceOf(Callback.Code.class);
    assertThat(callbacks(dag, "report.weekday").on(CallbackEvent.TASK_SKIPPED))
        .containsExactly(new Callback.Webhook("slack", null));
    assertThat(callbacks(dag, "report.send").on(CallbackEvent.TASK_FAILURE))
        .containsExactly(mail("team@x.io"));

    String broken = source.replace("onFailure oncall\n", "onFailure 'oncall'\n");
    Files.writeString(script, broken);
    DagDefinitionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            DagDefinitionException.class,
            () ->
                compiler.evaluate(
                    compiler.compile(
                        "dags/nightly.groovy",
                        broken,
                        getClass().getClassLoader(),
                        new ScriptLocation(script, dags))));
    assertThat(e.getMessage())
        .isEqualTo(
            "dags/nightly.groovy:14: onFailure takes a closure { ctx -> … }, email(to: …),"
                + " webhook(…) or a list of them, got String 'oncall'");
  }
}
