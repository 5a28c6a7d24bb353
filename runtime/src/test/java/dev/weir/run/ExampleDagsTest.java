package dev.weir.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.model.DagSpec;
import dev.weir.schedule.DataInterval;
import dev.weir.state.RunState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DAGs shipped in dags/ load cleanly and every one of them runs to success. */
class ExampleDagsTest {
  private static final Path EXAMPLES = Path.of("..", "dags").toAbsolutePath().normalize();

  @TempDir Path logs;

  @Test
  void should_load_every_example_without_import_errors() {
    try (DagBag bag = new DagBag(EXAMPLES, DagBagOptions.defaults())) {
      bag.refresh();
      assertThat(bag.importErrors()).isEmpty();
      assertThat(bag.dags())
          .containsKeys(
              "hello_world", "daily_sales", "train_models", "produce_sales", "retrain_model");
    }
  }

  @Test
  void should_run_every_example_to_success() throws Exception {
    InMemoryXComs xcoms = new InMemoryXComs();
    try (DagBag bag = new DagBag(EXAMPLES, DagBagOptions.defaults());
        TaskRunner runner = new TaskRunner(TaskServices.local(xcoms))) {
      bag.refresh();
      LocalDagRun local =
          new LocalDagRun(
              runner,
              xcoms,
              Clock.systemUTC(),
              d -> Thread.sleep(d.toMillis()),
              logs,
              (t, l) -> {});
      for (DagSpec dag : bag.dags().values()) {
        DataInterval interval = dag.timetable().intervalFor(Instant.parse("2025-06-02T12:00:00Z"));
        RunReport report =
            local.run(new RunContext(dag, RunContext.runId("test", interval), interval, Map.of()));
        assertThat(report.state())
            .as("%s: %s", dag.id(), report.taskInstances())
            .isEqualTo(RunState.SUCCESS);
        assertThat(report.taskInstances()).allMatch(ti -> ti.tryNumber() == 1);
      }
    }
  }
}
