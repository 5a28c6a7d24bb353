package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path home;
  private Path dags;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeDags() throws IOException {
    dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("future.groovy"),
        """
        dag('future') {
            description 'Runs from 2099 on'
            schedule '30 2 * * *'
            timezone 'Europe/Berlin'
            startDate '2099-03-27'
            tags 'x', 'y'
            def a = bash('extract') { command 'echo "day {{ ds }} conf {{ conf.n | default(0) }}"' }
            def b = task('load') { ctx -> ctx.params.size }
            def c = group('prep') { empty('clean') }
            params { size 3 }
            a >> b >> c
        }
        """);
    Files.writeString(
        dags.resolve("failing.groovy"),
        """
        dag('failing') {
            def a = bash('boom') { command 'echo going down; exit 5' }
            def b = empty('after')
            a >> b
        }
        """);
  }

  private Result weir(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.size() >= 2 && !all.get(0).startsWith("-") && !all.contains("--dags")) {
      all.add("--dags");
      all.add(dags.toString());
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void should_print_the_version() {
    Result result = weir("--version");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("weir ");
  }

  @Test
  void should_list_dags_as_table_and_json() throws Exception {
    Result table = weir("dags", "list");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out().lines().toList().get(0))
        .startsWith("DAG_ID")
        .contains("SCHEDULE", "FILE");
    assertThat(table.out()).contains("future", "30 2 * * *", "Europe/Berlin", "dags/future.groovy");

    JsonNode json = new ObjectMapper().readTree(weir("dags", "list", "-o", "json").out());
    assertThat(json).hasSize(2);
    assertThat(json.get(1).get("dagId").asText()).isEqualTo("future");
    assertThat(json.get(1).get("tasks").asInt()).isEqualTo(3);
    assertThat(json.get(1).get("tags").toString()).isEqualTo("[\"x\",\"y\"]");
  }

  @Test
  void should_list_import_errors_with_file_and_line() throws Exception {
    Files.writeString(dags.resolve("broken.groovy"), "dag('broken') {\n  scheduel '@daily'\n}\n");
    Result result = weir("dags", "list-import-errors");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .containsPattern(
            "dags/broken.groovy\\s+2\\s+unknown keyword 'scheduel' in dag 'broken'; did you mean"
                + " 'schedule'\\?");
    JsonNode json =
        new ObjectMapper().readTree(weir("dags", "list-import-errors", "-o", "json").out());
    assertThat(json.get(0).get("file").asText()).isEqualTo("dags/broken.groovy");
    assertThat(json.get(0).get("line").asInt()).isEqualTo(2);
    assertThat(json.get(0).get("message").asText()).startsWith("unknown keyword 'scheduel'");
    assertThat(weir("dags", "list").err()).contains("1 file(s) failed to load");
  }

  @Test
  void should_show_a_dag_in_three_formats() throws Exception {
    assertThat(weir("dags", "show", "future").out())
        .contains("future (3 tasks, schedule 30 2 * * *)")
        .contains("load")
        .contains("after extract");
    assertThat(weir("dags", "show", "future", "--format", "dot").out())
        .contains("digraph \"future\"")
        .contains("\"extract\" -> \"load\"")
        .contains("subgraph cluster_0");
    assertThat(weir("dags", "show", "future", "--format", "mermaid").out())
        .startsWith("flowchart LR")
        .contains("t0 --> t1");
    JsonNode graph =
        new ObjectMapper().readTree(weir("dags", "show", "future", "-o", "json").out());
    assertThat(graph.get("tasks").get(1).get("taskId").asText()).isEqualTo("load");
    assertThat(graph.get("tasks").get(1).get("upstream").toString()).isEqualTo("[\"extract\"]");
    assertThat(graph.get("tasks").get(2).get("group").asText()).isEqualTo("prep");
    Result bad = weir("dags", "show", "future", "--format", "svg");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown format 'svg'");
  }

  @Test
  void should_print_next_executions_in_the_dag_time_zone_across_dst() throws Exception {
    // 2099-03-29 is the last Sunday of March: 02:30 does not exist in Berlin and runs at 03:00.
    Result result = weir("dags", "next-execution", "future", "-n", "4");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            "2099-03-27T02:30:00+01:00\t2099-03-27T02:30:00+01:00\t2099-03-28T02:30:00+01:00",
            "2099-03-28T02:30:00+01:00\t2099-03-28T02:30:00+01:00\t2099-03-29T03:00:00+02:00",
            "2099-03-29T03:00:00+02:00\t2099-03-29T03:00:00+02:00\t2099-03-30T02:30:00+02:00",
            "2099-03-30T02:30:00+02:00\t2099-03-30T02:30:00+02:00\t2099-03-31T02:30:00+02:00");
    JsonNode json =
        new ObjectMapper()
            .readTree(weir("dags", "next-execution", "future", "-n", "1", "-o", "json").out());
    assertThat(json.get(0).get("logicalDate").asText()).isEqualTo("2099-03-27T02:30:00+01:00");
    assertThat(json.get(0).get("dataIntervalEnd").asText()).isEqualTo("2099-03-28T02:30:00+01:00");
  }

  @Test
  void should_test_a_dag_and_print_states_logs_and_exit_zero() {
    Result result =
        weir("dags", "test", "future", "2099-04-01", "--conf", "{\"n\": 5, \"none\": null}");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("[extract] day 2099-04-01 conf 5");
    assertThat(result.out()).containsPattern("load\\s+success\\s+1");
    assertThat(result.out()).contains("prep.clean");
    assertThat(result.out())
        .contains("Run test__2099-04-01T00:30:00+00:00 of future: success (3 success)");
  }

  @Test
  void should_exit_one_when_the_run_fails_and_report_json() throws Exception {
    Result result = weir("dags", "test", "failing", "-o", "json");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("[boom] going down");
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("state").asText()).isEqualTo("failed");
    assertThat(json.get("taskInstances").get(0).get("taskId").asText()).isEqualTo("boom");
    assertThat(json.get("taskInstances").get(0).get("state").asText()).isEqualTo("failed");
    assertThat(json.get("taskInstances").get(0).get("tryNumber").asInt()).isEqualTo(1);
    assertThat(json.get("taskInstances").get(0).get("start").asText()).isNotEmpty();
    assertThat(json.get("taskInstances").get(1).get("state").asText()).isEqualTo("upstream_failed");
  }

  @Test
  void should_test_one_task_alone() {
    Result result = weir("tasks", "test", "future", "load", "2099-04-01");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Result: 3");
    Result failed = weir("tasks", "test", "failing", "boom");
    assertThat(failed.exitCode()).isEqualTo(1);
    Result unknown = weir("tasks", "test", "future", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().trim())
        .isEqualTo("weir: dag 'future' has no task 'nope'; its tasks: extract, load, prep.clean");
  }

  @Test
  void should_give_usage_errors_exit_two_and_one_line() {
    Result unknownDag = weir("dags", "test", "nope");
    assertThat(unknownDag.exitCode()).isEqualTo(2);
    assertThat(unknownDag.err().trim()).isEqualTo("weir: dag 'nope' not found");
    Result badConf = weir("dags", "test", "future", "--conf", "{nope");
    assertThat(badConf.exitCode()).isEqualTo(2);
    assertThat(badConf.err()).startsWith("weir: --conf is not valid JSON");
    Result badDate = weir("dags", "test", "future", "31/12/2099");
    assertThat(badDate.exitCode()).isEqualTo(2);
    assertThat(badDate.err()).startsWith("weir: '31/12/2099' is not a logical date");
    Result typo = weir("dags", "lst");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("Did you mean: dags ");
    Result early = weir("dags", "test", "future", "2099-01-01T02:30");
    assertThat(early.err()).contains("is before the DAG's startDate 2099-03-27T00:00:00+01:00");
    Result missing = weir("dags", "show");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("weir: Missing required parameter: 'DAG_ID'");
    Result noFolder = weir("dags", "list", "--dags", home.resolve("nowhere").toString());
    assertThat(noFolder.exitCode()).isEqualTo(2);
    assertThat(noFolder.err()).contains("does not exist");
  }
}
