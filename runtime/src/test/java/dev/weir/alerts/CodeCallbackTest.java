package dev.weir.alerts;

import static dev.weir.alerts.AlertFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Callback;
import dev.weir.model.CallbackContext;
import dev.weir.model.CallbackEvent;
import dev.weir.model.DagSpec;
import dev.weir.model.ParamSpec;
import groovy.lang.Closure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code { ctx -> … }} callbacks: what they see, and what happens when they throw or hang. */
class CodeCallbackTest {
  @TempDir Path home;
  private AlertFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static Callback code(Consumer<CallbackContext> body) {
    return new Callback.Code(
        new Closure<Object>(CodeCallbackTest.class) {
          @SuppressWarnings("unused")
          public Object doCall(CallbackContext ctx) {
            body.accept(ctx);
            return null;
          }
        });
  }

  @Test
  void should_log_a_callback_that_throws_and_still_run_the_others_of_the_row() throws Exception {
    fixture = new AlertFixture(home).set("WEIR_VAR_REGION_OWNER", "ana");
    CompletableFuture<CallbackContext> seen = new CompletableFuture<>();
    fixture.dag(
        DagSpec.builder("daily_sales")
            .params(
                Map.of(
                    "region", new ParamSpec("region", "eu", "string", null, List.of()),
                    "limit", new ParamSpec("limit", 10, "integer", null, List.of())))
            .task(
                task(
                    "load",
                    CallbackEvent.TASK_FAILURE,
                    code(
                        ctx -> {
                          throw new IllegalStateException("callback broke");
                        }),
                    code(seen::complete)))
            .build());
    long run = fixture.run("daily_sales", "manual__1", "{\"region\": \"us\", \"extra\": 1}");
    long alert = fixture.alert(run, CallbackEvent.TASK_FAILURE, "load", 2, "exit code 3");

    fixture.start();

    assertThat(fixture.outcome(alert))
        .isEqualTo("failed: code callback threw java.lang.IllegalStateException: callback broke");
    CallbackContext ctx = seen.get(30, TimeUnit.SECONDS);
    assertThat(ctx.getEvent()).isEqualTo(CallbackEvent.TASK_FAILURE);
    assertThat(ctx.getDagId()).isEqualTo("daily_sales");
    assertThat(ctx.getRunId()).isEqualTo("manual__1");
    assertThat(ctx.getTaskId()).isEqualTo("load");
    assertThat(ctx.getTryNumber()).isEqualTo(2);
    assertThat(ctx.getState()).isEqualTo("failed");
    assertThat(ctx.getException()).isEqualTo("exit code 3");
    assertThat(ctx.getDs()).isEqualTo("2025-01-01");
    assertThat(ctx.getParams()).containsEntry("region", "us").containsEntry("limit", 10);
    assertThat(ctx.getConf()).containsEntry("extra", 1);
    assertThat(ctx.getMessage()).startsWith("Task load of DAG daily_sales failed (try 2)");
    assertThat(ctx.getLogUrl())
        .isEqualTo("https://weir.example.org/dags/daily_sales/runs/manual__1/tasks/load?try=2");
    assertThat(ctx.variable("region_owner")).isEqualTo("ana");
    assertThat(fixture.failures("code")).isEqualTo(1);
  }

  @Test
  void should_interrupt_and_abandon_a_callback_that_runs_past_its_timeout() throws Exception {
    fixture = new AlertFixture(home).set("WEIR_ALERTS_CALLBACK_TIMEOUT", "200ms");
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    fixture.dag(
        DagSpec.builder("etl")
            .task(
                task(
                    "load",
                    CallbackEvent.TASK_RETRY,
                    code(
                        ctx -> {
                          try {
                            never.await();
                          } catch (InterruptedException e) {
                            interrupted.countDown();
                          }
                        })))
            .build());
    long run = fixture.run("etl", "manual__1");
    long alert = fixture.alert(run, CallbackEvent.TASK_RETRY, "load", 1, null);

    fixture.start();

    assertThat(fixture.outcome(alert)).isEqualTo("failed: code callback timed out after PT0.2S");
    assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(fixture.failures("code")).isEqualTo(1);
  }

  @Test
  void should_deliver_rows_left_undelivered_when_a_new_dispatcher_starts() throws Exception {
    CompletableFuture<String> called = new CompletableFuture<>();
    DagSpec dag =
        DagSpec.builder("etl")
            .task(
                task(
                    "load",
                    CallbackEvent.TASK_SUCCESS,
                    code(ctx -> called.complete(ctx.getRunId()))))
            .build();
    long alert;
    try (AlertFixture before = new AlertFixture(home)) {
      long run = before.run("etl", "manual__1");
      alert = before.alert(run, CallbackEvent.TASK_SUCCESS, "load", 1, null);
    } // the process ends before any dispatcher ran

    fixture = new AlertFixture(home);
    fixture.dag(dag);
    assertThat(fixture.store.pendingAlerts(10)).hasSize(1);
    fixture.start();

    assertThat(fixture.outcome(alert)).isEqualTo("sent");
    assertThat(called.get(30, TimeUnit.SECONDS)).isEqualTo("manual__1");
    assertThat(fixture.store.pendingAlerts(10)).isEmpty();
  }
}
