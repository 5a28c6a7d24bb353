package dev.weir.operators;

import dev.weir.dsl.CompiledScript;
import dev.weir.dsl.DagScriptCompiler;
import dev.weir.dsl.ScriptLocation;
import dev.weir.executor.CodeRunner;
import dev.weir.executor.ProcessRunner;
import dev.weir.executor.TaskLog;
import dev.weir.model.Connection;
import dev.weir.model.DagSpec;
import dev.weir.run.InMemoryXComs;
import dev.weir.run.RunContext;
import dev.weir.run.TaskAttempt;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.run.TryOutcome;
import dev.weir.schedule.DataInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Runs single tasks of a script written into a real DAGs folder, with connections from a map, and
 * keeps each try's log file.
 */
final class OperatorHarness implements AutoCloseable {
  static final Instant LOGICAL = Instant.parse("2025-03-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-02T00:00:00Z"), ZoneOffset.UTC);

  final Path dags;
  final Path logs;
  final Map<String, Connection> connections = new HashMap<>();
  private final TaskRunner runner;
  private final DagScriptCompiler compiler = new DagScriptCompiler();

  /** What one try did, and the template fields it rendered. */
  record Ran(TryOutcome outcome, String log, Map<String, String> rendered) {
    Object result() {
      return outcome.xcoms().get("return_value");
    }
  }

  OperatorHarness(Path root) throws IOException {
    dags = Files.createDirectories(root.resolve("dags"));
    logs = Files.createDirectories(root.resolve("logs"));
    TaskServices services =
        TaskServices.of(
            id -> {
              Connection found = connections.get(id);
              if (found == null) {
                throw new IllegalArgumentException("no connection '" + id + "'");
              }
              return found;
            },
            key -> Optional.empty(),
            new InMemoryXComs(),
            UnaryOperator.identity());
    runner =
        new TaskRunner(
            new CodeRunner(),
            new ProcessRunner(),
            services,
            TaskRunner.DEFAULT_XCOM_MAX_BYTES,
            dev.weir.sensors.SensorSupport.withoutStore(CLOCK),
            new Operators(CLOCK));
  }

  void connection(
      String id,
      String type,
      String host,
      Integer port,
      String schema,
      String login,
      String password,
      Map<String, Object> extra) {
    connections.put(id, new Connection(id, type, host, port, schema, login, password, extra));
  }

  /** Writes a file below the DAGs folder. */
  Path write(String relative, String text) throws IOException {
    Path file = dags.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  /** Loads the one DAG of a script written as dags/t.groovy. */
  DagSpec dag(String source) throws IOException {
    Path script = write("t.groovy", source);
    CompiledScript compiled =
        compiler.compile(
            "dags/t.groovy",
            source,
            DagScriptCompiler.class.getClassLoader(),
            new ScriptLocation(script, dags));
    return compiler.evaluate(compiled).get(0);
  }

  Ran run(DagSpec dag, String taskId) throws Exception {
    DataInterval interval = dag.timetable().intervalFor(LOGICAL);
    RunContext run = new RunContext(dag, RunContext.runId("test", interval), interval, Map.of());
    Path file = TaskLog.path(logs, dag.id(), run.runId(), taskId, 1);
    TryOutcome outcome;
    RenderedFields rendered = new RenderedFields();
    try (TaskLog log = new TaskLog(file, CLOCK)) {
      outcome = runner.run(TaskAttempt.of(dag.tasks().get(taskId), run, 1), log, rendered);
    }
    return new Ran(outcome, Files.readString(file), rendered.masked(UnaryOperator.identity()));
  }

  /** Loads a script and runs its task 't'. */
  Ran runTask(String taskBlock) throws Exception {
    return run(
        dag("dag('d') {\n  schedule '@daily'\n  startDate '2025-01-01'\n" + taskBlock + "\n}\n"),
        "t");
  }

  @Override
  public void close() {
    runner.close();
  }
}
