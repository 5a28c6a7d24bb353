package dev.weir.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.dsl.DagScriptCompiler;
import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.run.InMemoryXComs;
import dev.weir.run.RunContext;
import dev.weir.run.TaskAttempt;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.run.TryOutcome;
import dev.weir.schedule.DataInterval;
import dev.weir.state.TaskState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sensor in poke mode sleeping on a real thread stops when its try is stopped or times out. */
class SensorStopTest {
  @TempDir Path temp;
  private final CountDownLatch poked = new CountDownLatch(1);
  private final TaskRunner runner =
      new TaskRunner(
          TaskServices.local(new InMemoryXComs()),
          new SensorSupport(
              Clock.systemUTC(),
              duration -> {
                poked.countDown();
                Sleeper.THREAD.sleep(duration);
              },
              RunLookup.unavailable("no store")));

  @AfterEach
  void close() {
    runner.close();
  }

  private TryOutcome runTry(String taskSettings) throws Exception {
    DagSpec dag =
        new DagScriptCompiler()
            .load(
                "dags/s.groovy",
                "dag('s') { sensor('wait', pokeInterval: 1.hour" + taskSettings + ") { false } }")
            .get(0);
    DataInterval interval = new DataInterval(Instant.EPOCH, Instant.EPOCH);
    RunContext run = new RunContext(dag, "manual__x", interval, Map.of());
    try (TaskLog log = new TaskLog(temp.resolve("1.log"), Clock.systemUTC())) {
      return runner.run(TaskAttempt.of(dag.tasks().get("wait"), run, 1), log);
    }
  }

  @Test
  void should_stop_sleeping_between_pokes_when_the_try_is_interrupted() throws Exception {
    CompletableFuture<Object> ended = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                ended.complete(runTry(""));
              } catch (InterruptedException e) {
                ended.complete(e);
              } catch (Exception e) {
                ended.completeExceptionally(e);
              }
            });
    worker.start();
    assertThat(poked.await(30, TimeUnit.SECONDS)).isTrue();
    long interrupted = System.nanoTime();
    worker.interrupt();
    assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void should_fail_a_try_that_outlasts_its_execution_timeout_while_poking() throws Exception {
    long started = System.nanoTime();
    TryOutcome outcome = runTry(", executionTimeout: 500.milliseconds");
    assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
    assertThat(outcome.error()).isEqualTo("timed out after 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }
}
