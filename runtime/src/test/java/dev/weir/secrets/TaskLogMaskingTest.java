package dev.weir.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.Settings;
import dev.weir.dsl.DagScriptCompiler;
import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.run.InMemoryXComs;
import dev.weir.run.LocalDagRun;
import dev.weir.run.RunContext;
import dev.weir.run.RunReport;
import dev.weir.run.TaskInstanceReport;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.schedule.DataInterval;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets never reach a real task log file: bash output, templates, messages and errors. */
class TaskLogMaskingTest {
  @TempDir Path home;
  @TempDir Path logs;

  @Test
  void should_write_stars_where_tasks_print_secrets() throws Exception {
    List<String> console = Collections.synchronizedList(new ArrayList<>());
    try (Database database = Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())))) {
      SecretsStore store =
          new SecretsStore(database, new SecretCipher(MasterKey.from(Map.of(), home)));
      store.addConnection(
          new dev.weir.model.Connection(
              "mydb", "postgres", "db.internal", 5432, "sales", "etl", "Stored-Pa55", null),
          null);
      store.setVariable("api_token", "tok-ABCDEF123", null);
      Secrets secrets =
          Secrets.of(Map.of("WEIR_CONN_ENVDB", "mysql://root:Env%2FPa55@h/db"), store);
      InMemoryXComs xcoms = new InMemoryXComs();
      DagSpec dag =
          new DagScriptCompiler()
              .load(
                  "dags/leaky.groovy",
                  """
                  dag('leaky') {
                      def echo = bash('echo') {
                          command 'echo "stored={{ conn.mydb.password }} env={{ conn.envdb.password }}"; echo "token=$TOKEN" >&2'
                          env TOKEN: '{{ var.value.api_token }}'
                      }
                      def log = task('log') { ctx ->
                          ctx.log.info('login {} with {}', ctx.connection('mydb').login, ctx.connection('mydb').password)
                          throw new IllegalStateException('refused ' + ctx.variable('api_token'))
                      }
                      echo >> log
                  }
                  """)
              .get(0);
      RunReport report;
      try (TaskRunner runner =
          new TaskRunner(
              TaskServices.of(secrets::connection, secrets::variable, xcoms, secrets::mask))) {
        DataInterval interval = dag.timetable().intervalFor(Instant.parse("2025-03-01T00:00:00Z"));
        report =
            new LocalDagRun(
                    runner,
                    xcoms,
                    Clock.systemUTC(),
                    duration -> {},
                    logs,
                    (task, line) -> console.add(line))
                .run(new RunContext(dag, RunContext.runId("test", interval), interval, Map.of()));
      }

      assertThat(report.state()).isEqualTo(RunState.FAILED);
      TaskInstanceReport echo = report.taskInstances().get(0);
      TaskInstanceReport log = report.taskInstances().get(1);
      assertThat(echo.state()).isEqualTo(TaskState.SUCCESS);
      String echoLog = Files.readString(echo.logFile());
      String logLog = Files.readString(log.logFile());
      assertThat(echo.logFile())
          .isEqualTo(TaskLog.path(logs, "leaky", report.run().runId(), "echo", 1));

      assertThat(echoLog)
          .contains("stored=*** env=***", "token=***")
          .doesNotContain("Stored-Pa55", "Env/Pa55", "tok-ABCDEF123");
      assertThat(logLog)
          .contains("login etl with ***", "refused ***")
          .doesNotContain("Stored-Pa55", "tok-ABCDEF123");
      assertThat(log.error()).isEqualTo("IllegalStateException: refused ***");
      assertThat(String.join("\n", console))
          .contains("stored=*** env=***")
          .doesNotContain("Stored-Pa55", "Env/Pa55", "tok-ABCDEF123");
    }
  }
}
