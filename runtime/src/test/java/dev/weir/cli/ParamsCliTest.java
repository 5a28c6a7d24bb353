package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's conf is checked against the DAG's params when it is triggered or tested. */
class ParamsCliTest {
  @TempDir Path temp;
  private Map<String, String> env;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeDag() throws IOException {
    Path dags = Files.createDirectories(temp.resolve("dags"));
    Files.writeString(
        dags.resolve("train.groovy"),
        """
        dag('train') {
            schedule none()
            params {
                model type: 'string', allowed: ['tree', 'linear']
                limit 100
                rate 0.5, allowed: [0.5, 1]
            }
            task('fit') { ctx -> ctx.log.info("fit ${ctx.params.model}:${ctx.params.limit}:${ctx.params.rate}") }
        }
        """);
    env = Map.of("WEIR_HOME", temp.resolve("home").toString(), "WEIR_DAGS_FOLDER", dags.toString());
  }

  private Result weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void should_refuse_a_trigger_whose_conf_misses_a_required_param_or_has_a_wrong_one() {
    Result missing = weir("dags", "trigger", "train", "--conf", "{\"limit\": 5}");
    assertThat(missing.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(missing.err())
        .contains("conf does not fit the params of DAG 'train'")
        .contains("param 'model' is required: pass it in the conf, such as {\"model\": …}");

    Result wrong =
        weir(
            "dags",
            "trigger",
            "train",
            "--conf",
            "{\"model\": \"forest\", \"limit\": \"ten\", \"rate\": 2}");
    assertThat(wrong.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(wrong.err())
        .contains("param 'model' must be one of [tree, linear], got \"forest\"")
        .contains("param 'limit' must be an integer, got \"ten\" (string)")
        .contains("param 'rate' must be one of [0.5, 1], got 2");
    assertThat(weir("dags", "list-runs", "train").out()).doesNotContain("manual__");
  }

  @Test
  void should_merge_a_valid_conf_over_the_defaults() {
    Result ok = weir("dags", "trigger", "train", "--conf", "{\"model\": \"tree\", \"rate\": 1}");
    assertThat(ok.exitCode()).as(ok.err()).isZero();

    Result tested = weir("dags", "test", "train", "--conf", "{\"model\": \"linear\"}");
    assertThat(tested.exitCode()).as(tested.err()).isZero();
    assertThat(tested.out()).contains("linear:100:0.5");
    assertThat(weir("dags", "test", "train").err()).contains("param 'model' is required");
  }
}
