package dev.weir.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  private static final Duration GRACE = Duration.ofMillis(300);

  /**
   * A tree with processes that die on SIGTERM (the shell, a background sleep) and ones that ignore
   * it (a child that traps TERM, and its background grandchild, which inherits the ignored signal).
   */
  private static final String TREE =
      """
      echo $$ > "$PIDS/main.pid"
      sleep 300 &
      echo $! > "$PIDS/background.pid"
      bash -c 'trap "" TERM; sleep 300 & echo $! > "$PIDS/grandchild.pid"; \
      echo $$ > "$PIDS/stubborn.pid"; wait' &
      while [ ! -s "$PIDS/grandchild.pid" ] || [ ! -s "$PIDS/stubborn.pid" ]; do sleep 0.01; done
      echo ready
      wait
      """;

  private static final List<String> TREE_PIDS =
      List.of("main.pid", "background.pid", "stubborn.pid", "grandchild.pid");

  @TempDir Path dir;

  private final ProcessRunner runner = new ProcessRunner(GRACE);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static ProcessSpec bash(
      String script, Map<String, String> env, Path workDir, Duration timeout) {
    return new ProcessSpec(List.of("bash", "-c", script), env, workDir, timeout);
  }

  private TaskLog log(Consumer<String> echo) throws IOException {
    return new TaskLog(dir.resolve("logs/1.log"), Clock.systemUTC(), echo);
  }

  private String logText() throws IOException {
    return Files.readString(dir.resolve("logs/1.log"));
  }

  @Test
  void should_stream_output_into_the_log_while_the_process_runs() throws Exception {
    BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
    try (TaskLog log = log(echoed::add)) {
      String script =
          "echo first; echo to-stderr >&2; while [ ! -e gate ]; do sleep 0.01; done; echo last";
      Future<ProcessOutcome> outcome =
          pool.submit(() -> runner.run(bash(script, null, dir, null), log));

      awaitLine(echoed, "to-stderr");
      assertThat(logText()).contains("\nfirst\n", "\nto-stderr\n").doesNotContain("last");
      assertThat(outcome.isDone()).isFalse();

      Files.createFile(dir.resolve("gate"));
      ProcessOutcome done = outcome.get(10, TimeUnit.SECONDS);
      assertThat(done.exitCode()).isZero();
      assertThat(done.succeeded()).isTrue();
      assertThat(done.lastOutputLine()).isEqualTo("last");
    }
    assertThat(logText()).contains("\nlast\n").contains("INFO Process exited with code 0");
  }

  @Test
  void should_report_exit_codes() throws Exception {
    try (TaskLog log = log(null)) {
      assertThat(runner.run(bash("exit 3", null, dir, null), log).exitCode()).isEqualTo(3);
      ProcessOutcome skipped = runner.run(bash("echo skip; exit 99", null, dir, null), log);
      assertThat(skipped.exitCode()).isEqualTo(ProcessRunner.SKIP_EXIT_CODE);
      assertThat(skipped.succeeded()).isFalse();
      ProcessOutcome ok = runner.run(bash("true", null, dir, null), log);
      assertThat(ok.exitCode()).isZero();
      assertThat(ok.lastOutputLine()).isNull();
      assertThat(ok.timedOut()).isFalse();
    }
  }

  @Test
  void should_pass_environment_on_top_of_inherited_one() throws Exception {
    try (TaskLog log = log(null)) {
      String script = "echo \"value=$WEIR_TEST_VALUE\"; [ -n \"$PATH\" ] && echo inherited";
      ProcessOutcome outcome =
          runner.run(bash(script, Map.of("WEIR_TEST_VALUE", "a b'c"), dir, null), log);
      assertThat(outcome.lastOutputLine()).isEqualTo("inherited");
    }
    assertThat(logText()).contains("\nvalue=a b'c\n");
  }

  @Test
  void should_run_in_the_given_working_directory() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    try (TaskLog log = log(null)) {
      ProcessOutcome outcome = runner.run(bash("pwd -P", null, work, null), log);
      assertThat(outcome.lastOutputLine()).isEqualTo(work.toRealPath().toString());
    }
  }

  @Test
  void should_run_in_a_fresh_temp_dir_and_delete_it_after() throws Exception {
    try (TaskLog log = log(null)) {
      String script = "mkdir sub && touch sub/file leftover && ls | wc -l && pwd -P";
      ProcessOutcome outcome = runner.run(bash(script, null, null, null), log);
      Path temp = Path.of(outcome.lastOutputLine());
      assertThat(temp.getFileName().toString()).startsWith("weir-task-");
      assertThat(temp).doesNotExist();
    }
    assertThat(logText()).contains("\n2\n");
  }

  @Test
  void should_kill_the_whole_tree_on_timeout_even_processes_ignoring_sigterm() throws Exception {
    AtomicBoolean allRunningWhenReady = new AtomicBoolean();
    ProcessOutcome outcome;
    try (TaskLog log = log(line -> checkTreeRunning(line, allRunningWhenReady))) {
      outcome =
          runner.run(bash(TREE, Map.of("PIDS", dir.toString()), dir, Duration.ofMillis(2000)), log);
    }
    assertThat(allRunningWhenReady).isTrue();
    assertThat(outcome.timedOut()).isTrue();
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.exitCode()).isIn(143, 137);
    assertThat(outcome.lastOutputLine()).isEqualTo("ready");
    assertThat(outcome.duration()).isBetween(Duration.ofMillis(2000), Duration.ofSeconds(10));
    assertTreeDead();
    assertThat(logText()).contains("Timed out after PT2S", "sending SIGKILL");
  }

  @Test
  void should_kill_the_whole_tree_and_throw_when_interrupted() throws Exception {
    AtomicBoolean allRunningWhenReady = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(1);
    AtomicReference<Object> result = new AtomicReference<>();
    String script = "pwd -P > \"$PIDS/workdir\"\n" + TREE;
    try (TaskLog log =
        log(
            line -> {
              checkTreeRunning(line, allRunningWhenReady);
              if (line.equals("ready")) {
                ready.countDown();
              }
            })) {
      Thread caller =
          new Thread(
              () -> {
                try {
                  result.set(
                      runner.run(bash(script, Map.of("PIDS", dir.toString()), null, null), log));
                } catch (Throwable t) {
                  result.set(t);
                }
              });
      caller.start();
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      caller.interrupt();
      caller.join(10_000);
      assertThat(caller.isAlive()).isFalse();
    }
    assertThat(allRunningWhenReady).isTrue();
    assertThat(result.get()).isInstanceOf(InterruptedException.class);
    assertTreeDead();
    assertThat(Path.of(Files.readString(dir.resolve("workdir")).strip())).doesNotExist();
    assertThat(logText()).contains("Interrupted; killing the process tree");
  }

  @Test
  void should_kill_background_processes_left_behind_when_the_command_exits() throws Exception {
    ProcessOutcome outcome;
    try (TaskLog log = log(null)) {
      String script = "sleep 300 & echo $! > bg.pid; echo done";
      outcome = runner.run(bash(script, null, dir, null), log);
    }
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.lastOutputLine()).isEqualTo("done");
    assertThat(running(readPid(dir.resolve("bg.pid")))).isFalse();
    assertThat(logText()).contains("left processes running in the background");
  }

  @Test
  void should_find_a_process_left_behind_whose_name_has_spaces_and_parentheses() throws Exception {
    // The name is in /proc/<pid>/stat between parentheses, before the process group.
    Path oddName = dir.resolve("sleep) 1 (x");
    Files.copy(Path.of("/bin/sleep"), oddName);
    ProcessOutcome outcome;
    try (TaskLog log = log(null)) {
      String script = "'./sleep) 1 (x' 300 & echo $! > bg.pid";
      outcome = runner.run(bash(script, null, dir, null), log);
    }
    assertThat(outcome.exitCode()).isZero();
    assertThat(running(readPid(dir.resolve("bg.pid")))).isFalse();
    assertThat(logText()).contains("left processes running in the background");
  }

  @Test
  void should_look_only_at_pids_handed_out_since_the_group_was_made_wrapping_at_pid_max() {
    assertThat(ProcessRunner.handedOutBetween(1000, 1200).test(1100)).isTrue();
    assertThat(ProcessRunner.handedOutBetween(1000, 1200).test(1000)).isFalse();
    assertThat(ProcessRunner.handedOutBetween(1000, 1200).test(900)).isFalse();
    assertThat(ProcessRunner.handedOutBetween(1000, 1200).test(1201)).isFalse();
    // Wrapped: after 1000 up to pid_max, then from the start up to 400.
    assertThat(ProcessRunner.handedOutBetween(1000, 400).test(30_000)).isTrue();
    assertThat(ProcessRunner.handedOutBetween(1000, 400).test(350)).isTrue();
    assertThat(ProcessRunner.handedOutBetween(1000, 400).test(700)).isFalse();
    // Too long for the order of pids to tell: every pid.
    assertThat(ProcessRunner.handedOutSince(1000, Duration.ofHours(1)).test(5)).isTrue();
  }

  @Test
  void should_tell_a_process_started_later_by_its_pid() throws Exception {
    Process earlier = new ProcessBuilder("true").start();
    earlier.waitFor();
    Process later = new ProcessBuilder("sleep", "5").start();
    try {
      var since = ProcessRunner.handedOutSince(earlier.pid(), Duration.ZERO);
      assertThat(since.test(later.pid())).isTrue();
      assertThat(since.test(earlier.pid())).isFalse();
    } finally {
      later.destroyForcibly().waitFor();
    }
  }

  private void checkTreeRunning(String line, AtomicBoolean allRunning) {
    if (line.equals("ready")) {
      allRunning.set(TREE_PIDS.stream().allMatch(f -> running(readPid(dir.resolve(f)))));
    }
  }

  private void assertTreeDead() {
    for (String file : TREE_PIDS) {
      long pid = readPid(dir.resolve(file));
      assertThat(running(pid)).as("%s %d still running", file, pid).isFalse();
    }
  }

  private static long readPid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Alive and not a zombie (orphans are reaped by PID 1, which may take its time). */
  private static boolean running(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitLine(BlockingQueue<String> lines, String wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(line).as("waiting for line '%s'", wanted).isNotNull();
      if (line.equals(wanted)) {
        return;
      }
    }
  }

  @Test
  void should_keep_the_secret_key_out_of_a_child_environment() {
    Map<String, String> env =
        new java.util.HashMap<>(Map.of("WEIR_SECRET_KEY", "k", "PATH", "/bin"));

    ProcessRunner.childEnvironment(env, Map.of("WEIR_DS", "2025-01-01"));

    assertThat(env).containsOnlyKeys("PATH", "WEIR_DS");
  }
}
