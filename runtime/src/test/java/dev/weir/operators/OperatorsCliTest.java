package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weir.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir dags test} runs the operators that need no connection: http, python (when python3 is
 * on PATH), a dags/lib operator and a plugin from WEIR_HOME/plugins.
 */
class OperatorsCliTest {
  @TempDir Path root;

  @Test
  void should_run_http_python_lib_and_plugin_operators_in_dags_test() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/status",
        exchange -> {
          byte[] reply = "{\"state\": \"green\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    server.start();
    try {
      Path home = root.resolve("home");
      PluginJar.build(root, home.resolve("plugins").resolve("shout.jar"));
      Path dags = Files.createDirectories(root.resolve("dags"));
      Files.createDirectories(dags.resolve("lib"));
      Files.copy(
          Path.of("..", "dags", "lib", "GreetOperator.groovy"),
          dags.resolve("lib/GreetOperator.groovy"));
      Files.writeString(
          dags.resolve("hello.py"), "import sys\nprint('python says', sys.argv[1])\n");
      boolean python = pythonAvailable();
      Files.writeString(
          dags.resolve("ops.groovy"),
          """
          dag('ops') {
              schedule '@daily'
              startDate '2025-01-01'
              def status = http('status') { url 'http://127.0.0.1:%d/status' }
              def greet = operator('greet', new GreetOperator(name: 'CLI'))
              def shout = operator('shout', 'shout', text: 'plugin on {ds}')
              def check = task('check') { ctx ->
                  assert ctx.xcom.pull('status') == [state: 'green']
                  ctx.log.info('checked {}', ctx.xcom.pull('shout'))
              }
              [status, greet, shout] >> check
              %s
          }
          """
              .formatted(
                  server.getAddress().getPort(),
                  python ? "python('py') { script 'hello.py'; args '{{ ds }}' } >> check" : ""));

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Map<String, String> env = new HashMap<>();
      env.put("WEIR_HOME", home.toString());
      int code =
          Main.run(
              new String[] {"dags", "test", "ops", "2025-03-01", "--dags", dags.toString()},
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              env);

      assertThat(code).as(out + "\n" + err).isZero();
      assertThat(out.toString())
          .contains("Hello, CLI! It is 2025-03-01.")
          .contains("PLUGIN ON 2025-03-01")
          .contains("checked PLUGIN ON 2025-03-01")
          .contains("success");
      if (python) {
        assertThat(out.toString()).contains("[py] python says 2025-03-01");
      }
    } finally {
      server.stop(0);
    }
  }

  private static boolean pythonAvailable() {
    try {
      Process probe = new ProcessBuilder("python3", "--version").start();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (Exception e) {
      if ("1".equals(System.getenv("WEIR_REQUIRE_ALL_TESTS"))) {
        throw new AssertionError(
            "python3 is not on PATH (WEIR_REQUIRE_ALL_TESTS=1 requires it)", e);
      }
      return false;
    }
  }
}
