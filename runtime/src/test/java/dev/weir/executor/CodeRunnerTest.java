package dev.weir.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CodeRunnerTest {
  private final CodeRunner runner = new CodeRunner(Duration.ofSeconds(5));

  @AfterEach
  void close() {
    runner.close();
  }

  @Test
  void should_return_the_result_from_a_daemon_worker_thread() throws Exception {
    CodeOutcome<String> outcome =
        runner.run(
            () -> Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon(),
            Duration.ofSeconds(5));
    assertThat(outcome.result()).matches("weir-code-\\d+-\\d+ true");
    assertThat(outcome.error()).isNull();
    assertThat(outcome.timedOut()).isFalse();
    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.duration()).isPositive();
  }

  @Test
  void should_return_what_the_code_threw() throws Exception {
    CodeOutcome<Object> outcome =
        runner.run(
            () -> {
              throw new IllegalStateException("boom");
            },
            null);
    assertThat(outcome.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(outcome.result()).isNull();
    assertThat(outcome.succeeded()).isFalse();

    CodeOutcome<Object> error =
        runner.run(
            () -> {
              throw new AssertionError("groovy assert");
            },
            null);
    assertThat(error.error()).isInstanceOf(AssertionError.class);
  }

  @Test
  void should_interrupt_a_busy_loop_on_timeout_and_wait_for_it_to_stop() throws Exception {
    AtomicBoolean stopped = new AtomicBoolean();
    CodeOutcome<Long> outcome =
        runner.run(
            () -> {
              long spins = 0;
              while (!Thread.interrupted()) {
                spins++;
              }
              stopped.set(true);
              return spins;
            },
            Duration.ofMillis(200));
    assertThat(outcome.timedOut()).isTrue();
    assertThat(outcome.result()).isNull();
    assertThat(outcome.error()).isNull();
    assertThat(outcome.duration()).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
    assertThat(stopped).isTrue();
  }

  @Test
  void should_interrupt_sleeping_code_on_timeout() throws Exception {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    CodeOutcome<Object> outcome =
        runner.run(
            () -> {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                seen.set(e);
                throw e;
              }
              return "woke";
            },
            Duration.ofMillis(100));
    assertThat(outcome.timedOut()).isTrue();
    assertThat(seen.get()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void should_interrupt_the_code_when_the_caller_is_interrupted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch codeInterrupted = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                runner.run(
                    () -> {
                      started.countDown();
                      try {
                        Thread.sleep(60_000);
                      } catch (InterruptedException e) {
                        codeInterrupted.countDown();
                      }
                      return null;
                    },
                    null);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(5_000);
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(codeInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void should_run_code_without_a_timeout_on_the_calling_thread() throws Exception {
    CodeOutcome<String> outcome = runner.runHere(() -> Thread.currentThread().getName());
    assertThat(outcome.result()).isEqualTo(Thread.currentThread().getName());
    assertThat(outcome.succeeded()).isTrue();

    CodeOutcome<Object> failed =
        runner.runHere(
            () -> {
              throw new IllegalStateException("boom");
            });
    assertThat(failed.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(failed.succeeded()).isFalse();
  }

  @Test
  void should_throw_when_the_caller_is_interrupted_while_code_runs_on_its_thread()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                runner.runHere(
                    () -> {
                      started.countDown();
                      Thread.sleep(60_000);
                      return null;
                    });
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(5_000);
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);

    // Code that keeps the interrupt to itself and returns: the caller still hears of it.
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> runner.runHere(() -> 1)).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void should_refuse_work_after_close() {
    runner.close();
    assertThatThrownBy(() -> runner.run(() -> 1, null)).isInstanceOf(IllegalStateException.class);
  }
}
