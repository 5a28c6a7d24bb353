package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XCom, branching, short circuits and mapping in {@code weir dags test}, with no store. */
class AuthoringCliTest {
  @TempDir Path temp;

  @Test
  void should_pass_values_branch_and_map_in_a_test_run() throws Exception {
    Path dags = Files.createDirectories(temp.resolve("dags"));
    Files.writeString(
        dags.resolve("flow.groovy"),
        """
        dag('flow') {
            schedule none()
            def files = task('files') { ctx -> ctx.xcom.push('count', 3); ['a', 'bb', 'ccc'] }
            def size = bash('size') { expand files; command 'echo -n {{ item }} | wc -c'; xcomPush true }
            def total = task('total') { ctx ->
                def sizes = ctx.xcom.pull('size').collect { it as int }
                ctx.log.info("total ${sizes.sum()} of ${ctx.xcom.pull('files', 'count')}")
                sizes.sum()
            }
            def pick = branch('pick') { ctx -> ctx.xcom.pull('total') > 5 ? 'big' : 'small' }
            def big = empty('big')
            def small = empty('small')
            def stop = shortCircuit('stop') { ctx -> false }
            def never = empty('never')
            files >> size >> total >> pick >> [big, small]
            big >> stop >> never
        }
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        Main.run(
            new String[] {"dags", "test", "flow"},
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of(
                "WEIR_HOME", temp.resolve("home").toString(), "WEIR_DAGS_FOLDER", dags.toString()));

    String text = out.toString();
    assertThat(code).as(text + err).isZero();
    assertThat(text).contains("total 6 of 3");
    assertThat(text)
        .containsPattern("size\\[0\\]\\s+success")
        .containsPattern("size\\[2\\]\\s+success");
    assertThat(text).containsPattern("\\nbig\\s+success").containsPattern("\\nsmall\\s+skipped");
    assertThat(text).containsPattern("\\nnever\\s+skipped");
  }
}
