package dev.weir.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.dsl.DagScriptCompiler;
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
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sensors run by {@code weir dags test}'s runner, with a clock that moves only when they sleep. */
class SensorLocalRunTest {
  private static final Instant LOGICAL = Instant.parse("2025-03-01T00:00:00Z");

  @TempDir Path temp;
  private final SettableClock clock = new SettableClock(Instant.parse("2025-03-02T03:00:00Z"));
  private final List<Duration> sleeps = new ArrayList<>();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final InMemoryXComs xcoms = new InMemoryXComs();
  private Consumer<Integer> onSleep = n -> {};
  private TaskRunner runner;

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private RunReport run(String body) throws InterruptedException {
    return run(body, RunLookup.unavailable("WEIR_HOME has no database"));
  }

  private RunReport run(String body, RunLookup runs) throws InterruptedException {
    DagSpec dag =
        new DagScriptCompiler()
            .load(
                "dags/s.groovy",
                "dag('s') {\n schedule '@daily'\n startDate '2025-01-01'\n" + body + "\n}\n")
            .get(0);
    Sleeper sleeper =
        duration -> {
          sleeps.add(duration);
          clock.advance(duration);
          onSleep.accept(sleeps.size());
        };
    runner = new TaskRunner(TaskServices.local(xcoms), new SensorSupport(clock, sleeper, runs));
    LocalDagRun local =
        new LocalDagRun(
            runner,
            xcoms,
            clock,
            sleeper::sleep,
            temp.resolve("logs"),
            // Without the time and level that start each line.
            (task, line) -> lines.add(task + "|" + line.replaceFirst("^\\S+ \\S+ ", "")));
    DataInterval interval = dag.timetable().intervalFor(LOGICAL);
    return local.run(new RunContext(dag, RunContext.runId("test", interval), interval, Map.of()));
  }

  private static TaskInstanceReport task(RunReport report, String id) {
    return report.taskInstances().stream()
        .filter(ti -> ti.taskId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void should_poke_a_closure_until_it_is_truthy_and_keep_a_non_boolean_value_as_result()
      throws Exception {
    RunReport report =
        run(
            """
            def pokes = 0
            sensor('wait', pokeInterval: 10.seconds) { ctx -> ++pokes < 3 ? 0 : 'found it' }
            """);
    TaskInstanceReport wait = task(report, "wait");
    assertThat(wait.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(wait.result()).isEqualTo("found it");
    assertThat(wait.tryNumber()).isEqualTo(1);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
    assertThat(xcoms.values("s", report.run().runId(), "wait", "return_value"))
        .containsValue("found it");
    assertThat(lines)
        .contains("wait|Poke 1: not yet, the closure returned '0'; poking again in 10.0 s")
        .anyMatch(line -> line.endsWith("Poke 3: done"));
  }

  @Test
  void should_double_the_wait_after_each_poke_up_to_max_poke_interval() throws Exception {
    run(
        """
        def pokes = 0
        sensor('wait', pokeInterval: 10.seconds, exponentialBackoff: true,
               maxPokeInterval: 1.minute) { ctx -> ++pokes == 6 }
        """);
    assertThat(sleeps).extracting(Duration::getSeconds).containsExactly(10L, 20L, 40L, 60L, 60L);
  }

  @Test
  void should_fail_on_timeout_over_all_pokes_without_retrying() throws Exception {
    RunReport report =
        run(
            """
            sensor('wait', pokeInterval: 10.seconds, timeout: 25.seconds, retries: 3) { false }
            empty('after') << sensor('other', pokeInterval: 10.seconds) { true }
            """);
    TaskInstanceReport wait = task(report, "wait");
    assertThat(wait.state()).isEqualTo(TaskState.FAILED);
    assertThat(wait.tryNumber()).isEqualTo(1);
    assertThat(wait.error())
        .startsWith("sensor timed out: not done 25.0 s after its first poke (timeout 25.0 s;");
    // The last wait is cut short so that the last poke comes exactly at the timeout.
    assertThat(sleeps).extracting(Duration::getSeconds).containsExactly(10L, 10L, 5L);
    assertThat(lines).anyMatch(line -> line.contains("a timed-out sensor is not retried"));
    assertThat(report.state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void should_be_skipped_on_timeout_with_soft_fail() throws Exception {
    RunReport report =
        run(
            """
            def wait = sensor('wait', pokeInterval: 1.minute, timeout: 2.minutes, softFail: true) { false }
            def next = empty('next')
            def cleanup = empty('cleanup', triggerRule: 'all_done')
            wait >> next >> cleanup
            """);
    assertThat(task(report, "wait").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(task(report, "next").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(task(report, "cleanup").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(lines)
        .anyMatch(
            line ->
                line.startsWith("wait|") && line.contains("Skipping (softFail): sensor timed out"));
  }

  @Test
  void should_poke_once_per_reschedule_in_one_try_and_time_out_across_reschedules()
      throws Exception {
    RunReport report =
        run(
            """
            def pokes = 0
            sensor('later', mode: 'reschedule', pokeInterval: 10.seconds) { ++pokes == 3 }
            sensor('never', mode: 'reschedule', pokeInterval: 10.seconds, timeout: 25.seconds,
                   retries: 2) { false }
            """);
    // Each poke is a try of its own, with its own log, as under the scheduler.
    TaskInstanceReport later = task(report, "later");
    assertThat(later.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(later.tryNumber()).isEqualTo(3);
    assertThat(Files.readString(later.logFile().resolveSibling("1.log")))
        .contains("Poke 1: not yet", "Task ended: up_for_reschedule");
    assertThat(Files.readString(later.logFile())).contains("Poke 1: done");
    // Four pokes, then the timeout: no retry although two were left.
    TaskInstanceReport never = task(report, "never");
    assertThat(never.state()).isEqualTo(TaskState.FAILED);
    assertThat(never.tryNumber()).isEqualTo(4);
    assertThat(never.error()).startsWith("sensor timed out: not done 25.0 s after its first poke");
    // Each poke is its own try; the run waits between them: both sensors poke at 0, 10, 20, and
    // 'never' a last time at its timeout, 25.
    assertThat(Duration.between(never.start(), never.end())).isEqualTo(Duration.ofSeconds(25));
    assertThat(sleeps).extracting(Duration::getSeconds).containsExactly(10L, 10L, 5L);
  }

  @Test
  void should_reschedule_with_backoff_derived_from_the_time_since_the_first_poke()
      throws Exception {
    run(
        """
        def pokes = 0
        sensor('wait', mode: 'reschedule', pokeInterval: 10.seconds, exponentialBackoff: true) {
            ++pokes == 5
        }
        """);
    assertThat(sleeps).extracting(Duration::getSeconds).containsExactly(10L, 20L, 40L, 80L);
  }

  @Test
  void should_wait_for_a_file_that_appears_at_a_clock_step_and_match_globs() throws Exception {
    Path data = Files.createDirectories(temp.resolve("data/2025-03-01"));
    onSleep =
        n -> {
          if (n == 2) {
            write(data.resolve("part-1.csv"));
            write(data.resolve("notes.txt"));
          }
        };
    RunReport report =
        run(
            """
            fileSensor('csv') {
                baseDir '%s'
                path 'data/{{ ds }}/*.csv'
                pokeInterval 30.seconds
            }
            """
                .formatted(temp));
    TaskInstanceReport csv = task(report, "csv");
    assertThat(csv.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(sleeps).hasSize(2);
    assertThat(csv.result()).isEqualTo(List.of(data.resolve("part-1.csv").toString()));
  }

  @Test
  void should_match_deep_globs_plain_files_and_folders_holding_a_file() throws Exception {
    write(temp.resolve("in/a/b/deep.json"));
    write(temp.resolve("plain.txt"));
    Files.createDirectories(temp.resolve("empty"));
    RunReport report =
        run(
            """
            fileSensor('deep') { path '%1$s/in/**.json' }
            fileSensor('plain') { path '%1$s/plain.txt' }
            fileSensor('folder') { path '%1$s/in' }
            fileSensor('emptyFolder', timeout: 1.minute, softFail: true) { path '%1$s/empty' }
            """
                .formatted(temp));
    assertThat(task(report, "deep").result())
        .isEqualTo(List.of(temp.resolve("in/a/b/deep.json").toString()));
    assertThat(task(report, "plain").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(task(report, "folder").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(task(report, "emptyFolder").state()).isEqualTo(TaskState.SKIPPED);
  }

  @Test
  void should_sleep_exactly_until_the_target_time_in_poke_mode_and_reschedule_for_it()
      throws Exception {
    // The run's data interval ends 2025-03-02T00:00Z; the clock reads 2025-03-02T03:00Z.
    RunReport report =
        run(
            """
            dateTimeSensor('passed') { targetTime '{{ data_interval_end }}' }
            dateTimeSensor('poked') { targetTime 3.5.hours }
            dateTimeSensor('rescheduled') { targetTime '2025-03-02T04:00:00+01:00'; mode 'reschedule' }
            """);
    assertThat(report.taskInstances()).allMatch(ti -> ti.state() == TaskState.SUCCESS);
    // 'poked' waits 30 min in one sleep although it pokes every 60 s; 'rescheduled' (03:00Z) then
    // is due at once.
    assertThat(sleeps).containsExactly(Duration.ofMinutes(30));
    assertThat(lines)
        .contains(
            "rescheduled|Poke 1: done",
            "poked|Poke 1: not yet, the target time 2025-03-02T03:30:00+00:00 is ahead; poking"
                + " again in 30 min");
  }

  @Test
  void should_fail_an_external_task_sensor_without_a_store_saying_so() throws Exception {
    RunReport report = run("externalTaskSensor('ext') { externalDagId 'other' }");
    assertThat(task(report, "ext").state()).isEqualTo(TaskState.FAILED);
    assertThat(task(report, "ext").error())
        .isEqualTo("externalTaskSensor needs the metadata store: WEIR_HOME has no database");
  }

  @Test
  void should_fail_a_relative_path_without_base_dir_naming_it() throws Exception {
    RunReport report = run("fileSensor('f') { path '{{ ds }}/x.csv' }");
    assertThat(task(report, "f").error())
        .isEqualTo(
            "path '2025-03-01/x.csv' is relative and the sensor has no baseDir to resolve it"
                + " against");
  }

  private static void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "x");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
