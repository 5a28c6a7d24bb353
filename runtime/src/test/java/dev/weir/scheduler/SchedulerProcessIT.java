package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.model.DagSpec;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real scheduler JVM, killed with SIGKILL or stopped with SIGTERM mid-run, then restarted. */
class SchedulerProcessIT {
  @TempDir Path temp;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  private Path home() {
    return temp.resolve("home");
  }

  private Path dags() {
    return temp.resolve("dags");
  }

  private Process startDaemon(String name) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            DaemonMain.class.getName(),
            dags().toString());
    builder.environment().put("WEIR_HOME", home().toString());
    builder.environment().put("WEIR_SCHEDULER_DRAIN_GRACE", "20s");
    builder.redirectErrorStream(true);
    builder.redirectOutput(temp.resolve(name + ".out").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Opens the store as the command line does, next to the running daemon. */
  private MetadataStore store(Database database) {
    return new JdbcMetadataStore(database);
  }

  private Database database() {
    return Database.open(Settings.load(Map.of("WEIR_HOME", home().toString())));
  }

  private DagRunRow trigger(MetadataStore store, String dagId) {
    try (DagBag bag = new DagBag(dags(), DagBagOptions.defaults())) {
      bag.refresh();
      DagSpec dag = bag.dag(dagId).orElseThrow();
      RunRequests requests = new RunRequests(store, Clock.systemUTC());
      long version = requests.saveDag(dag, bag.source(dag.source().file()).orElseThrow(), null);
      store.setPaused(dagId, false);
      return requests.trigger(dag, version, null, "{}");
    }
  }

  private static TaskInstanceRow instance(MetadataStore store, DagRunRow run, String taskId) {
    return store.taskInstances(run.id()).stream()
        .filter(i -> i.taskId().equals(taskId))
        .findFirst()
        .orElseThrow();
  }

  private void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "; logs in " + temp);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void should_finish_a_run_after_the_scheduler_is_killed_mid_task() throws Exception {
    Files.createDirectories(dags());
    Path marker = temp.resolve("first-try-started");
    Files.writeString(
        dags().resolve("crash.groovy"),
        "dag('crash') { schedule none()\n"
            + " def a = bash('a') { command 'true' }\n"
            + " def b = bash('b', retries: 1, retryDelay: 1.second) {\n"
            + "   command 'if [ -f "
            + marker
            + " ]; then echo second; else touch "
            + marker
            + "; sleep 30; fi' }\n"
            + " def c = task('c') { 'done' }\n"
            + " a >> b >> c }\n");
    Process first = startDaemon("first");
    try (Database database = database();
        MetadataStore store = store(database)) {
      DagRunRow run = trigger(store, "crash");
      await(
          "task b runs",
          Duration.ofSeconds(60),
          () -> instance(store, run, "b").state() == TaskState.RUNNING && Files.exists(marker));

      first.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      startDaemon("second");

      await(
          "the run succeeds",
          Duration.ofSeconds(90),
          () -> store.run(run.id()).orElseThrow().state() == RunState.SUCCESS);
      List<TaskTryRow> tries = store.tries(run.id(), "b");
      assertThat(tries)
          .extracting(TaskTryRow::state)
          .containsExactly(TaskState.FAILED, TaskState.SUCCESS);
      assertThat(tries.get(0).error()).contains("interrupted");
      assertThat(instance(store, run, "a").tryNumber()).isEqualTo(1);
      assertThat(instance(store, run, "c").state()).isEqualTo(TaskState.SUCCESS);
      assertThat(store.runs("crash", null, 100)).hasSize(1);
    }
  }

  @Test
  void should_drain_on_sigterm_finishing_running_tasks_and_starting_nothing_new() throws Exception {
    Files.createDirectories(dags());
    Files.writeString(
        dags().resolve("drain.groovy"),
        "dag('drain') { schedule none()\n"
            + " def slow = bash('slow') { command 'sleep 2; echo finished' }\n"
            + " def next = task('next') { 1 }\n"
            + " slow >> next }\n");
    Process daemon = startDaemon("first");
    try (Database database = database();
        MetadataStore store = store(database)) {
      DagRunRow run = trigger(store, "drain");
      await(
          "task slow runs",
          Duration.ofSeconds(60),
          () -> instance(store, run, "slow").state() == TaskState.RUNNING);

      daemon.destroy(); // SIGTERM
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(instance(store, run, "slow").state()).isEqualTo(TaskState.SUCCESS);
      assertThat(instance(store, run, "next").state()).isIn(TaskState.NONE, TaskState.SCHEDULED);
      assertThat(store.lease()).isEmpty();

      startDaemon("second");
      await(
          "the run succeeds after a restart",
          Duration.ofSeconds(60),
          () -> store.run(run.id()).orElseThrow().state() == RunState.SUCCESS);
    }
  }
}
