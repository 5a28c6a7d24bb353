package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.dagbag.RefreshResult;
import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.plugins.PluginFolder;
import dev.weir.run.InMemoryXComs;
import dev.weir.run.RunContext;
import dev.weir.run.TaskAttempt;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.run.TryOutcome;
import dev.weir.schedule.DataInterval;
import dev.weir.state.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators of users: Groovy classes in dags/lib/ and Java plugins in a plugins folder. */
class CustomOperatorsTest {
  @TempDir Path root;

  private static final String GREET_V1 =
      """
      import dev.weir.model.Operator
      import dev.weir.model.TaskContext

      class GreetOperator implements Operator {
          String name
          Object execute(TaskContext ctx) { "Hello, ${name}, on ${ctx.ds}".toString() }
      }
      """;

  private Object runTask(DagSpec dag, String taskId) throws Exception {
    DataInterval interval = dag.timetable().intervalFor(OperatorHarness.LOGICAL);
    RunContext run = new RunContext(dag, RunContext.runId("test", interval), interval, Map.of());
    try (TaskRunner runner = new TaskRunner(TaskServices.local(new InMemoryXComs()));
        TaskLog log =
            new TaskLog(
                TaskLog.path(root.resolve("logs"), dag.id(), run.runId(), taskId, 1),
                OperatorHarness.CLOCK)) {
      TryOutcome outcome = runner.run(TaskAttempt.of(dag.tasks().get(taskId), run, 1), log);
      assertThat(outcome.state()).as(String.valueOf(outcome.error())).isEqualTo(TaskState.SUCCESS);
      return outcome.xcoms().get("return_value");
    }
  }

  @Test
  void should_run_an_operator_class_of_dags_lib_and_compile_again_when_the_lib_changes()
      throws Exception {
    Path dags = Files.createDirectories(root.resolve("dags"));
    Path lib = Files.createDirectories(dags.resolve("lib")).resolve("GreetOperator.groovy");
    Files.writeString(lib, GREET_V1);
    Files.writeString(
        dags.resolve("greet.groovy"),
        """
        dag('greet') {
            schedule '@daily'
            startDate '2025-01-01'
            operator('hello', new GreetOperator(name: 'Ada'), retries: 2)
        }
        """);

    try (DagBag bag = new DagBag(dags, DagBagOptions.defaults())) {
      bag.refresh();
      assertThat(bag.importErrors()).isEmpty();
      DagSpec dag = bag.dag("greet").orElseThrow();
      assertThat(dag.tasks().get("hello").retries()).isEqualTo(2);
      assertThat(dag.tasks().get("hello").action().kind()).isEqualTo("operator");
      assertThat(runTask(dag, "hello")).isEqualTo("Hello, Ada, on 2025-03-01");

      Files.writeString(lib, GREET_V1.replace("Hello", "Goodbye"));
      Files.setLastModifiedTime(lib, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
      RefreshResult refreshed = bag.refresh();

      assertThat(refreshed.changed()).containsExactly("dags/greet.groovy");
      assertThat(runTask(bag.dag("greet").orElseThrow(), "hello"))
          .isEqualTo("Goodbye, Ada, on 2025-03-01");
      assertThat(bag.refresh().changed()).isEmpty();
    }
  }

  @Test
  void should_report_a_broken_lib_class_as_an_import_error_of_the_script_using_it()
      throws Exception {
    Path dags = Files.createDirectories(root.resolve("dags"));
    Files.createDirectories(dags.resolve("lib"));
    Files.writeString(
        dags.resolve("lib/Broken.groovy"), "class Broken implements dev.weir.model.Operator {");
    Files.writeString(dags.resolve("uses.groovy"), "dag('uses') { operator('b', new Broken()) }\n");

    try (DagBag bag = new DagBag(dags, DagBagOptions.defaults())) {
      bag.refresh();
      assertThat(bag.importErrors()).hasSize(1);
      assertThat(bag.importErrors().get(0).file()).isEqualTo("dags/uses.groovy");
    }
  }

  @Test
  void should_run_an_operator_of_a_plugin_jar_in_the_plugins_folder() throws Exception {
    Path plugins = root.resolve("plugins");
    PluginJar.build(root, plugins.resolve("shout.jar"));
    Path dags = Files.createDirectories(root.resolve("dags"));
    Files.writeString(
        dags.resolve("loud.groovy"),
        """
        dag('loud') {
            schedule '@daily'
            startDate '2025-01-01'
            operator('shout', 'shout', text: 'hello {ds}', times: 2, retries: 1)
        }
        """);
    Files.writeString(
        dags.resolve("typo.groovy"), "dag('typo') { operator('x', 'shoot', text: 'a') }\n");
    Files.writeString(
        dags.resolve("bad.groovy"), "dag('bad') { operator('x', 'shout', times: 0, text: 'a') }\n");

    ClassLoader loader = PluginFolder.classLoader(plugins, getClass().getClassLoader());
    try (DagBag bag = new DagBag(dags, DagBagOptions.defaults(), OperatorHarness.CLOCK, loader)) {
      bag.refresh();
      DagSpec dag = bag.dag("loud").orElseThrow();
      assertThat(dag.tasks().get("shout").retries()).isEqualTo(1);
      assertThat(runTask(dag, "shout")).isEqualTo("HELLO 2025-03-01");
      assertThat(bag.importErrors())
          .extracting(e -> e.message())
          .containsExactly(
              "dags/bad.groovy:1: operator task 'x': plugin 'shout': times takes a whole number of 1"
                  + " or more, got 0",
              "dags/typo.groovy:1: operator task 'x': unknown operator plugin 'shoot'; did you mean"
                  + " 'shout'? (plugins: shout)");
    }
  }
}
