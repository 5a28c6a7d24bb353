package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskTryRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each try records the template fields it rendered, secrets masked, with its end. */
class RenderedFieldsSchedulerTest {
  private static final String TOKEN = "tok-ABCDEF123";

  @TempDir Path temp;
  private SchedulerHarness weir;

  @AfterEach
  void close() {
    if (weir != null) {
      weir.close();
    }
  }

  @Test
  void should_record_what_each_try_of_a_bash_task_ran_with_secrets_masked() {
    weir = new SchedulerHarness(temp, Instant.parse("2025-03-01T00:00:00Z"));
    weir.secretsStore().setVariable("api_token", TOKEN, null);
    weir.dag(
            "d.groovy",
            """
            dag('d') {
                schedule none()
                pausedAtCreation false
                timezone 'Europe/Berlin'
                bash('fetch', retries: 1, retryDelay: 0.seconds) {
                    command 'echo "day={{ ds }} token={{ var.value.api_token }}"; [ {{ try_number }} -gt 1 ]'
                    env TOKEN: '{{ var.value.api_token }}', DAY: '{{ ds_nodash }}'
                }
                task('code') { ctx -> ctx.variable('api_token').size() }
            }
            """)
        .startWithSecrets(4, true, Map.of());

    DagRunRow run = weir.trigger("d", Instant.parse("2025-03-04T23:30:00Z"));
    weir.pass();
    weir.pass();
    run = weir.run("d", run.runId());

    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.store.tries(run.id(), "fetch"))
        .extracting(TaskTryRow::tryNumber, TaskTryRow::state)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(1, TaskState.FAILED),
            org.assertj.core.api.Assertions.tuple(2, TaskState.SUCCESS));
    // 23:30 UTC is the next day in Berlin: ds is the DAG's date.
    assertThat(weir.store.renderedFields(run.id(), "fetch", -1, 1))
        .containsExactly(
            Map.entry("command", "echo \"day=2025-03-05 token=***\"; [ 1 -gt 1 ]"),
            Map.entry("env DAY", "20250305"),
            Map.entry("env TOKEN", "***"));
    assertThat(weir.store.renderedFields(run.id(), "fetch", -1, 2))
        .containsEntry("command", "echo \"day=2025-03-05 token=***\"; [ 2 -gt 1 ]");
    assertThat(weir.store.renderedFields(run.id(), "fetch", -1, 2).toString())
        .doesNotContain(TOKEN);
    assertThat(weir.store.renderedFields(run.id(), "code", -1, 1)).isEmpty();
    assertThat(weir.store.tries(run.id(), "code")).hasSize(1);
  }

  @Test
  void should_record_the_fields_a_sensor_rendered() throws Exception {
    java.nio.file.Path landing =
        java.nio.file.Files.createDirectories(temp.resolve("landing/20250301"));
    java.nio.file.Files.writeString(landing.resolve("sales.csv"), "1");
    weir = new SchedulerHarness(temp, Instant.parse("2025-03-01T00:00:00Z"));
    weir.dag(
            "s.groovy",
            """
            dag('s') {
                schedule none()
                pausedAtCreation false
                fileSensor('landed') {
                    path 'landing/{{ ds_nodash }}/*.csv'
                    baseDir '%s'
                }
            }
            """
                .formatted(temp))
        .start(4, true);

    DagRunRow run = weir.trigger("s", Instant.parse("2025-03-01T00:00:00Z"));
    weir.pass();

    assertThat(weir.run("s", run.runId()).state()).isEqualTo(RunState.SUCCESS);
    assertThat(weir.store.renderedFields(run.id(), "landed", -1, 1))
        .containsExactly(
            Map.entry("path", "landing/20250301/*.csv"), Map.entry("baseDir", temp.toString()));
  }
}
