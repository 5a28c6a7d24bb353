package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.scheduler.SchedulerDaemon;
import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every sensor kind and triggerDagRun in {@code weir dags test}, with and without a store. */
class SensorCliTest {
  @TempDir Path temp;
  private Path dags;
  private Path home;
  private Map<String, String> env;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeDags() throws IOException {
    dags = Files.createDirectories(temp.resolve("dags"));
    home = temp.resolve("home");
    env = Map.of("WEIR_HOME", home.toString(), "WEIR_DAGS_FOLDER", dags.toString());
    Files.writeString(temp.resolve("ready.csv"), "x");
    Files.writeString(
        dags.resolve("local.groovy"),
        """
        dag('local') {
            schedule '@daily'
            startDate '2025-01-01'
            def ready = sensor('ready', pokeInterval: 1.second) { ctx -> ctx.ds }
            def file = fileSensor('file') { baseDir '%s'; path '*.csv'; pokeInterval 1.second }
            def clock = dateTimeSensor('clock') { targetTime '{{ data_interval_end }}' }
            ready >> file >> clock
        }
        """
            .formatted(temp));
    Files.writeString(
        dags.resolve("up.groovy"),
        """
        dag('up') {
            pausedAtCreation false
            task('load') { 'loaded' }
        }
        """);
    Files.writeString(
        dags.resolve("child.groovy"),
        """
        dag('child') {
            pausedAtCreation false
            task('echo') { ctx -> "day ${ctx.conf.day}" }
        }
        """);
    Files.writeString(
        dags.resolve("down.groovy"),
        """
        dag('down') {
            schedule '@daily'
            startDate '2025-01-01'
            def wait = externalTaskSensor('wait_load') {
                externalDagId 'up'; externalTaskId 'load'; pokeInterval 1.second; timeout 30.seconds
            }
            def go = triggerDagRun('go') {
                dagId 'child'; conf([day: '{{ ds }}']); waitForCompletion true
                pokeInterval 1.second; timeout 30.seconds
            }
            wait >> go
        }
        """);
  }

  private Result weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void should_run_code_file_and_date_time_sensors_without_a_store() {
    Result result = weir("dags", "test", "local", "2025-03-01");
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .contains("[ready] ", "Poke 1: done")
        .contains("Run test__2025-03-01T00:00:00+00:00 of local: success (3 success)");
    assertThat(home.resolve("weir.mv.db")).doesNotExist();
  }

  @Test
  void should_run_an_http_sensor_against_a_local_server() throws Exception {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = ("ok " + exchange.getRequestURI()).getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Files.writeString(
          dags.resolve("http.groovy"),
          """
          dag('http') {
              httpSensor('api') {
                  url 'http://127.0.0.1:%d'; endpoint '/ready/{{ ds }}'
                  responseCheck { body -> body.startsWith('ok') }
              }
          }
          """
              .formatted(server.getAddress().getPort()));
      Result result = weir("dags", "test", "http", "2025-03-01");
      assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
      assertThat(result.out()).contains("[api] ", "Poke 1: done", "of http: success (1 success)");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void should_run_a_sql_sensor_on_a_weir_conn_connection_to_an_h2_file() throws Exception {
    Path db = temp.resolve("warehouse");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:" + db, "sa", "");
        java.sql.Statement statement = c.createStatement()) {
      statement.execute("create table loads (load_day varchar(10))");
      statement.execute("insert into loads values ('2025-03-01')");
    }
    Files.writeString(
        dags.resolve("sql.groovy"),
        """
        dag('sql') {
            sqlSensor('loaded') {
                conn 'warehouse'
                query 'select count(*) from loads where load_day = ?'
                parameters(['{{ ds }}'])
            }
        }
        """);
    env =
        Map.of(
            "WEIR_HOME",
            home.toString(),
            "WEIR_DAGS_FOLDER",
            dags.toString(),
            "WEIR_CONN_WAREHOUSE",
            "{\"conn_type\": \"h2\", \"schema\": \"" + db + "\", \"login\": \"sa\"}");
    Result result = weir("dags", "test", "sql", "2025-03-01");
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("[loaded] ", "Poke 1: done", "of sql: success (1 success)");
  }

  @Test
  void should_fail_store_sensors_clearly_when_weir_home_has_no_database() {
    Result result = weir("dags", "test", "down", "2025-03-01");
    assertThat(result.exitCode()).isEqualTo(CliException.FAILED);
    assertThat(result.out())
        .contains(
            "externalTaskSensor needs the metadata store: WEIR_HOME ("
                + home
                + ") has no database; start weir standalone or weir scheduler there first");
    assertThat(home.resolve("weir.mv.db")).doesNotExist();
  }

  @Test
  void should_watch_and_trigger_runs_in_the_store_a_live_scheduler_runs() throws Exception {
    Settings settings = Settings.load(env);
    try (SchedulerDaemon daemon =
        new SchedulerDaemon(
            settings,
            new SchedulerDaemon.Options(
                dags, 2, Duration.ofMillis(100), Duration.ofSeconds(2), DagBagOptions.defaults()),
            Clock.systemUTC())) {
      daemon.start();
      Result trigger = weir("dags", "trigger", "up", "--logical-date", "2025-03-01");
      assertThat(trigger.exitCode()).as(trigger.err()).isZero();
      String upRunId = trigger.out().strip();
      assertThat(awaitRun(daemon, "up", upRunId)).isEqualTo(RunState.SUCCESS);

      Result test = weir("dags", "test", "down", "2025-03-01");

      assertThat(test.exitCode()).as(test.out() + test.err()).isZero();
      String childRunId = "triggered__down.go__test__2025-03-01T00:00:00+00:00";
      assertThat(test.out())
          .contains("[go] ", "Triggered run " + childRunId + " of dag child")
          .contains("Run test__2025-03-01T00:00:00+00:00 of down: success (2 success)");
      DagRunRow child = daemon.store().run("child", childRunId).orElseThrow();
      assertThat(child.state()).isEqualTo(RunState.SUCCESS);
      assertThat(child.conf()).isEqualTo("{\"day\":\"2025-03-01\"}");
    }
  }

  private static RunState awaitRun(SchedulerDaemon daemon, String dagId, String runId)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      Optional<DagRunRow> run = daemon.store().run(dagId, runId);
      if (run.isPresent() && run.get().state().isFinished()) {
        return run.get().state();
      }
      Thread.sleep(50);
    }
    return daemon.store().run(dagId, runId).map(DagRunRow::state).orElse(null);
  }
}
