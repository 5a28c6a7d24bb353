package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.TaskState;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The python operator with the real python3 on PATH, as child processes. */
class PythonOperatorTest {
  private static String unavailable;

  @TempDir Path root;
  private OperatorHarness harness;

  @BeforeAll
  static void findPython() {
    try {
      Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        unavailable = "python3 --version failed";
      }
    } catch (Exception e) {
      unavailable = "python3 is not on PATH: " + e;
    }
    if (unavailable != null && "1".equals(System.getenv("WEIR_REQUIRE_ALL_TESTS"))) {
      throw new AssertionError(unavailable + " (WEIR_REQUIRE_ALL_TESTS=1 requires it)");
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    harness = new OperatorHarness(root);
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void should_run_a_script_of_the_dags_folder_with_args_and_env_streaming_output_to_the_log()
      throws Exception {
    harness.write(
        "train.py",
        """
        import os, sys
        print("training with", sys.argv[1:])
        print("mode", os.environ["MODE"], "day", os.environ["WEIR_DS"], "unbuffered", os.environ["PYTHONUNBUFFERED"])
        print("0.93")
        """);

    OperatorHarness.Ran ran =
        harness.runTask(
            """
            python('t') {
                script 'train.py'
                args '--lr', '0.1', '--day', '{{ ds }}'
                env(MODE: 'full-{{ ds_nodash }}')
                returnLastLine true
            }
            """);

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(ran.log())
        .contains("training with ['--lr', '0.1', '--day', '2025-03-01']")
        .contains("mode full-20250301 day 2025-03-01 unbuffered 1");
    assertThat(ran.result()).isEqualTo("0.93");
    assertThat(ran.rendered())
        .containsExactly(
            Map.entry(
                "command",
                "python3 " + harness.dags.resolve("train.py") + " --lr 0.1 --day 2025-03-01"),
            Map.entry("env MODE", "full-20250301"));
  }

  @Test
  void should_run_a_module_of_the_dags_folder_and_keep_no_result_unless_asked() throws Exception {
    harness.write("pkg/__init__.py", "");
    harness.write("pkg/train.py", "import sys\nprint('module ran with', sys.argv[1:])\n");

    OperatorHarness.Ran ran = harness.runTask("python('t') { module 'pkg.train'; args(['a b']) }");

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(ran.log()).contains("module ran with ['a b']");
    assertThat(ran.result()).isNull();
  }

  @Test
  void should_fail_on_a_non_zero_exit_and_skip_on_exit_99() throws Exception {
    harness.write("fail.py", "import sys\nprint('bad input', file=sys.stderr)\nsys.exit(3)\n");
    harness.write("skip.py", "import sys\nprint('nothing to do')\nsys.exit(99)\n");

    OperatorHarness.Ran failed = harness.runTask("python('t') { script 'fail.py' }");
    OperatorHarness.Ran skipped = harness.runTask("python('t') { script 'skip.py' }");

    assertThat(failed.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(failed.outcome().error()).isEqualTo("command exited with 3");
    assertThat(failed.log()).contains("bad input");
    assertThat(skipped.outcome().state()).isEqualTo(TaskState.SKIPPED);
  }

  @Test
  void should_run_with_the_python_of_a_virtualenv() throws Exception {
    Path venv = root.resolve("venv");
    Process create =
        new ProcessBuilder("python3", "-m", "venv", "--without-pip", venv.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(create.getInputStream().readAllBytes());
    assertThat(create.waitFor()).as(output).isZero();
    harness.write("where.py", "import sys\nprint(sys.prefix)\n");

    OperatorHarness.Ran ran =
        harness.runTask(
            "python('t') { script 'where.py'; venv '" + venv + "'; returnLastLine true }");

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(Path.of((String) ran.result()).toRealPath()).isEqualTo(venv.toRealPath());
    assertThat(ran.log()).contains("Running: " + venv.resolve("bin/python"));
  }
}
