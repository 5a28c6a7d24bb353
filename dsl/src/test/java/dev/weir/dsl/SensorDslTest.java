package dev.weir.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.DagSpec;
import dev.weir.model.SensorCheck;
import dev.weir.model.SensorOptions;
import dev.weir.model.TaskAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SensorDslTest {
  private final DagScriptCompiler compiler = new DagScriptCompiler();

  private DagSpec one(String body) {
    return compiler.load("dags/test.groovy", "dag('s') {\n" + body + "\n}\n").get(0);
  }

  private TaskAction action(String body, String taskId) {
    return one(body).tasks().get(taskId).action();
  }

  private DagDefinitionException error(String body) {
    try {
      compiler.load("dags/test.groovy", "dag('s') {\n" + body + "\n}\n");
    } catch (DagDefinitionException e) {
      return e;
    }
    throw new AssertionError("expected the script to be rejected");
  }

  @Test
  void should_give_a_sensor_airflows_defaults() {
    TaskAction.Sensor sensor =
        (TaskAction.Sensor) action("sensor('ready') { ctx -> true }", "ready");
    assertThat(sensor.kind()).isEqualTo("sensor");
    assertThat(sensor.check()).isInstanceOf(SensorCheck.Code.class);
    assertThat(sensor.options()).isEqualTo(SensorOptions.defaults());
    assertThat(sensor.options().pokeInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(sensor.options().timeout()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void should_read_sensor_settings_from_named_arguments_and_blocks() {
    DagSpec dag =
        one(
            """
            sensor('a', pokeInterval: 5.seconds, mode: 'reschedule', softFail: true,
                   exponentialBackoff: true, maxPokeInterval: 1.minute, timeout: 1.hour,
                   retries: 2) { ctx -> true }
            fileSensor('b') {
                path 'in/{{ ds }}/*.csv'
                baseDir '/data'
                pokeInterval 10
                mode 'poke'
                executionTimeout 2.minutes
            }
            """);
    TaskAction.Sensor a = (TaskAction.Sensor) dag.tasks().get("a").action();
    assertThat(a.options())
        .isEqualTo(
            new SensorOptions(
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                SensorOptions.Mode.RESCHEDULE,
                true,
                true,
                Duration.ofMinutes(1)));
    assertThat(dag.tasks().get("a").retries()).isEqualTo(2);
    TaskAction.Sensor b = (TaskAction.Sensor) dag.tasks().get("b").action();
    assertThat(b.check()).isEqualTo(new SensorCheck.File("in/{{ ds }}/*.csv", "/data"));
    assertThat(b.options().pokeInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(dag.tasks().get("b").executionTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void should_build_every_sensor_kind_and_trigger_dag_run() {
    DagSpec dag =
        one(
            """
            sqlSensor('sql') { conn 'warehouse'; query 'select count(*) from t where day = ?'; parameters(['{{ ds }}', 3]) }
            httpSensor('http') { url 'http://localhost:8080'; endpoint '/status'; expectStatus 204; headers(Accept: 'text/plain'); responseCheck { body -> body.contains('ready') } }
            externalTaskSensor('ext') { externalDagId 'other'; externalTaskId 'load'; allowedStates(['success', 'skipped']); failedStates(['failed']); executionDelta 1.hour }
            externalTaskSensor('run') { externalDagId 'other' }
            dateTimeSensor('at') { targetTime '{{ data_interval_end }}' }
            dateTimeSensor('after') { targetTime 2.hours; mode 'reschedule' }
            triggerDagRun('go') { dagId 'other'; conf([day: '{{ ds }}', n: 1]); waitForCompletion true; pokeInterval 10.seconds }
            """);
    assertThat(((TaskAction.Sensor) dag.tasks().get("sql").action()).check())
        .isEqualTo(
            new SensorCheck.Sql(
                "warehouse", "select count(*) from t where day = ?", List.of("{{ ds }}", 3)));
    SensorCheck.Http http =
        (SensorCheck.Http) ((TaskAction.Sensor) dag.tasks().get("http").action()).check();
    assertThat(http.url()).isEqualTo("http://localhost:8080");
    assertThat(http.endpoint()).isEqualTo("/status");
    assertThat(http.expectStatus()).isEqualTo(204);
    assertThat(http.method()).isEqualTo("GET");
    assertThat(http.headers()).containsEntry("Accept", "text/plain");
    assertThat(http.responseCheck().call("ready now")).isEqualTo(true);
    assertThat(((TaskAction.Sensor) dag.tasks().get("ext").action()).check())
        .isEqualTo(
            new SensorCheck.ExternalTask(
                "other",
                "load",
                List.of("success", "skipped"),
                List.of("failed"),
                Duration.ofHours(1)));
    assertThat(((TaskAction.Sensor) dag.tasks().get("run").action()).check())
        .isEqualTo(
            new SensorCheck.ExternalTask("other", null, List.of("success"), List.of(), null));
    assertThat(((TaskAction.Sensor) dag.tasks().get("at").action()).check())
        .isEqualTo(new SensorCheck.DateTime("{{ data_interval_end }}", null));
    assertThat(((TaskAction.Sensor) dag.tasks().get("after").action()).check())
        .isEqualTo(new SensorCheck.DateTime(null, Duration.ofHours(2)));
    TaskAction.TriggerDagRun go = (TaskAction.TriggerDagRun) dag.tasks().get("go").action();
    assertThat(go.dagId()).isEqualTo("other");
    assertThat(go.conf()).isEqualTo(Map.of("day", "{{ ds }}", "n", 1));
    assertThat(go.waitForCompletion()).isTrue();
    assertThat(go.allowedStates()).containsExactly("success");
    assertThat(go.failedStates()).containsExactly("failed");
    assertThat(go.options().pokeInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(go.logicalDate()).isNull();
  }

  @Test
  void should_name_the_sensor_and_field_of_a_bad_setting() {
    DagDefinitionException e = error("sensor('wait', timeout: 0) { true }");
    assertThat(e.problem()).isEqualTo("sensor 'wait': timeout must be longer than zero");

    e = error("fileSensor('f') {\n  path '/x'\n  mode 'reschedul'\n}");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.problem())
        .isEqualTo(
            "fileSensor 'f': mode takes 'poke' or 'reschedule', got String 'reschedul'; did you"
                + " mean 'reschedule'?");

    e = error("fileSensor('f') { pth '/x' }");
    assertThat(e.problem())
        .contains("unknown keyword 'pth' in fileSensor 'f'; did you mean 'path'?");
  }

  @Test
  void should_reject_missing_or_contradictory_fields() {
    assertThat(error("fileSensor('f') { }").problem())
        .isEqualTo("fileSensor 'f' has no path; add path '/data/{{ ds }}/*.csv' to its block");
    assertThat(error("fileSensor('f') { path 'rel/x.csv' }").problem())
        .contains("path 'rel/x.csv' is relative; make it absolute or set baseDir");
    assertThat(error("sqlSensor('q') { conn 'w' }").problem())
        .isEqualTo("sqlSensor 'q' has no query; add query 'select count(*) from t' to its block");
    assertThat(error("httpSensor('h') { endpoint '/x' }").problem())
        .contains("httpSensor 'h' needs either conn 'api' (a connection) or url");
    assertThat(error("externalTaskSensor('e') { externalTaskId 'x' }").problem())
        .contains("externalTaskSensor 'e' has no externalDagId");
    assertThat(
            error("externalTaskSensor('e') { externalDagId 'o'; allowedStates(['sucess']) }")
                .problem())
        .isEqualTo(
            "externalTaskSensor 'e': allowedStates has unknown state 'sucess'; did you mean"
                + " 'success'? (states: queued, running, success, failed)");
    assertThat(
            error(
                    "externalTaskSensor('e') { externalDagId 'o'; externalTaskId 't';"
                        + " allowedStates(['failed']); failedStates(['failed']) }")
                .problem())
        .contains("[failed] are in both allowedStates and failedStates");
    assertThat(error("dateTimeSensor('d') { }").problem())
        .startsWith("dateTimeSensor 'd' has no targetTime");
    assertThat(error("triggerDagRun('t') { conf([a: '{{ ds | nope }}']) }").problem())
        .startsWith("triggerDagRun 't' has no dagId");
    assertThat(error("triggerDagRun('t') { dagId 'o'; conf([a: '{{ ds | nope }}']) }").problem())
        .startsWith("triggerDagRun 't': template in conf.a: unknown template filter 'nope'");
  }
}
