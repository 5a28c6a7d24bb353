package dev.weir.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weir.dsl.DagScriptCompiler;
import dev.weir.model.Connection;
import dev.weir.model.DagSpec;
import dev.weir.run.InMemoryXComs;
import dev.weir.run.LocalDagRun;
import dev.weir.run.RunContext;
import dev.weir.run.RunReport;
import dev.weir.run.TaskInstanceReport;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.schedule.DataInterval;
import dev.weir.state.TaskState;
import dev.weir.testing.SettableClock;
import dev.weir.testing.TestPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sqlSensor against H2 and a real PostgreSQL, httpSensor against a real local HTTP server. */
class SqlHttpSensorTest {
  @TempDir Path temp;
  private final SettableClock clock = new SettableClock(Instant.parse("2025-03-02T03:00:00Z"));
  private final Map<String, Connection> connections = new HashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private IntConsumer onSleep = n -> {};
  private int sleeps;
  private TaskRunner runner;
  private HttpServer server;

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private RunReport run(String body) throws InterruptedException {
    DagSpec dag =
        new DagScriptCompiler()
            .load(
                "dags/s.groovy",
                "dag('s') {\n schedule '@daily'\n startDate '2025-01-01'\n" + body + "\n}\n")
            .get(0);
    InMemoryXComs xcoms = new InMemoryXComs();
    TaskServices services =
        TaskServices.of(
            id -> {
              Connection c = connections.get(id);
              if (c == null) {
                throw new IllegalArgumentException("no connection '" + id + "'");
              }
              return c;
            },
            key -> Optional.empty(),
            xcoms,
            UnaryOperator.identity());
    Sleeper sleeper =
        duration -> {
          clock.advance(duration);
          onSleep.accept(++sleeps);
        };
    runner =
        new TaskRunner(services, new SensorSupport(clock, sleeper, RunLookup.unavailable("none")));
    LocalDagRun local =
        new LocalDagRun(runner, xcoms, clock, sleeper::sleep, temp.resolve("logs"), (t, l) -> {});
    DataInterval interval = dag.timetable().intervalFor(Instant.parse("2025-03-01T00:00:00Z"));
    return local.run(new RunContext(dag, RunContext.runId("test", interval), interval, Map.of()));
  }

  private static TaskInstanceReport task(RunReport report, String id) {
    return report.taskInstances().stream()
        .filter(ti -> ti.taskId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static void execute(String url, String user, String sql) {
    try (java.sql.Connection c = DriverManager.getConnection(url, user, "");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void should_poke_h2_until_a_row_for_the_day_arrives() throws Exception {
    String url = "jdbc:h2:mem:sensor_rows;DB_CLOSE_DELAY=-1";
    connections.put(
        "warehouse",
        new Connection(
            "warehouse", "h2", null, null, "mem:sensor_rows;DB_CLOSE_DELAY=-1", "sa", null, null));
    execute(url, "sa", "create table sales (sale_day varchar(10), amount int)");
    onSleep =
        n -> {
          if (n == 2) {
            execute(url, "sa", "insert into sales values ('2025-03-01', 5)");
          }
        };
    RunReport report =
        run(
            """
            sqlSensor('rows') {
                conn 'warehouse'
                query 'select count(*) from sales where sale_day = ?'
                parameters(['{{ ds }}'])
                pokeInterval 1.minute
            }
            """);
    assertThat(task(report, "rows").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(task(report, "rows").result()).isEqualTo(1L);
    assertThat(sleeps).isEqualTo(2);
  }

  @Test
  void should_judge_the_first_cell_truthy_as_documented() throws Exception {
    connections.put(
        "h2",
        new Connection("h2", "h2", null, null, "mem:truthy;DB_CLOSE_DELAY=-1", "sa", null, null));
    Map<String, String> cells = new java.util.LinkedHashMap<>();
    cells.put("nullCell", "cast(null as int)");
    cells.put("zero", "0");
    cells.put("zeroDecimal", "0.0");
    cells.put("empty", "''");
    cells.put("falseText", "'FALSE'");
    cells.put("zeroText", "'0'");
    cells.put("falseBool", "false");
    cells.put("noRow", "1 from (select 1) where 1 = 0 --");
    cells.put("one", "1");
    cells.put("half", "0.5");
    cells.put("text", "'ready'");
    cells.put("trueBool", "true");
    StringBuilder script = new StringBuilder();
    cells.forEach(
        (id, cell) ->
            script.append(
                "sqlSensor('%s', timeout: 1.second, softFail: true) { conn 'h2'; query 'select %s' }\n"
                    .formatted(id, cell.replace("'", "\\'"))));
    RunReport report = run(script.toString());
    Map<String, TaskState> states = new java.util.LinkedHashMap<>();
    cells.keySet().forEach(id -> states.put(id, task(report, id).state()));
    assertThat(states)
        .containsEntry("nullCell", TaskState.SKIPPED)
        .containsEntry("zero", TaskState.SKIPPED)
        .containsEntry("zeroDecimal", TaskState.SKIPPED)
        .containsEntry("empty", TaskState.SKIPPED)
        .containsEntry("falseText", TaskState.SKIPPED)
        .containsEntry("zeroText", TaskState.SKIPPED)
        .containsEntry("falseBool", TaskState.SKIPPED)
        .containsEntry("noRow", TaskState.SKIPPED)
        .containsEntry("one", TaskState.SUCCESS)
        .containsEntry("half", TaskState.SUCCESS)
        .containsEntry("text", TaskState.SUCCESS)
        .containsEntry("trueBool", TaskState.SUCCESS);
  }

  @Test
  void should_fail_a_broken_query_or_unknown_connection_naming_it() throws Exception {
    connections.put(
        "h2",
        new Connection("h2", "h2", null, null, "mem:broken;DB_CLOSE_DELAY=-1", "sa", null, null));
    RunReport report =
        run(
            """
            sqlSensor('bad') { conn 'h2'; query 'select nope from nowhere' }
            sqlSensor('unknown') { conn 'missing'; query 'select 1' }
            """);
    assertThat(task(report, "bad").state()).isEqualTo(TaskState.FAILED);
    assertThat(task(report, "bad").error()).startsWith("query on connection 'h2' failed: ");
    assertThat(task(report, "unknown").error()).isEqualTo("no connection 'missing'");
  }

  @Test
  void should_poke_a_real_postgresql_with_a_date_parameter_from_a_template() throws Exception {
    try (TestPostgres postgres = TestPostgres.start()) {
      String url = postgres.url("postgres");
      execute(url, "postgres", "create table loads (day date, done boolean)");
      execute(url, "postgres", "insert into loads values ('2025-03-01', false)");
      connections.put(
          "pg",
          new Connection(
              "pg", "postgres", "localhost", postgres.port(), "postgres", "postgres", null, null));
      onSleep =
          n -> {
            if (n == 1) {
              execute(url, "postgres", "update loads set done = true where day = '2025-03-01'");
            }
          };
      RunReport report =
          run(
              """
              sqlSensor('loaded') {
                  conn 'pg'
                  query 'select done from loads where day = ?'
                  parameters(['{{ ds }}'])
                  mode 'reschedule'
              }
              """);
      assertThat(task(report, "loaded").state()).isEqualTo(TaskState.SUCCESS);
      assertThat(task(report, "loaded").tryNumber()).isEqualTo(2);
      assertThat(task(report, "loaded").result()).isEqualTo(true);
    }
  }

  private int serve(int... statuses) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          int call = calls.getAndIncrement();
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization"));
          int status = statuses[Math.min(call, statuses.length - 1)];
          byte[] body =
              (call >= 2 ? "{\"ready\": true}" : "{\"ready\": false}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server.getAddress().getPort();
  }

  @Test
  void should_poke_a_local_http_server_until_status_and_body_say_ready() throws Exception {
    int port = serve(503, 200, 200);
    RunReport report =
        run(
            """
            httpSensor('api') {
                url 'http://127.0.0.1:%d'
                endpoint '/status/{{ ds }}'
                responseCheck { body -> body.contains('"ready": true') }
                pokeInterval 5.seconds
            }
            """
                .formatted(port));
    assertThat(task(report, "api").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(task(report, "api").result()).isEqualTo("{\"ready\": true}");
    assertThat(requests).hasSize(3).allMatch(r -> r.startsWith("GET /status/2025-03-01 "));
  }

  @Test
  void should_reach_a_connection_with_basic_auth_and_wait_through_refused_connections()
      throws Exception {
    int port = serve(204);
    connections.put(
        "api", new Connection("api", "http", "127.0.0.1", port, "v1", "ana", "secret", null));
    // A port nobody listens on: refused until the test gives up at the timeout.
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    RunReport report =
        run(
            """
            httpSensor('health') { conn 'api'; endpoint 'health'; expectStatus 204 }
            httpSensor('down', timeout: 2.minutes, softFail: true) { url 'http://127.0.0.1:%d' }
            """
                .formatted(closed));
    assertThat(task(report, "health").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(requests)
        .containsExactly(
            "GET /v1/health Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString("ana:secret".getBytes(StandardCharsets.UTF_8)));
    assertThat(task(report, "down").state()).isEqualTo(TaskState.SKIPPED);
  }
}
