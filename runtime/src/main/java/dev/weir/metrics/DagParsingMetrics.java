package dev.weir.metrics;

import dev.weir.dagbag.RefreshResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/** What the DAG folder's refreshes report: their time, the DAGs loaded, the import errors. */
public final class DagParsingMetrics {
  private final Timer parse;
  private final AtomicInteger dags = new AtomicInteger();
  private final AtomicInteger importErrors = new AtomicInteger();

  public DagParsingMetrics(MeterRegistry registry) {
    parse =
        Timer.builder("weir.dag.parse.duration")
            .description("Time of one refresh of the DAGs folder")
            .register(registry);
    Gauge.builder("weir.dags", dags, AtomicInteger::get)
        .description("DAGs loaded from the DAGs folder")
        .register(registry);
    Gauge.builder("weir.dag.import.errors", importErrors, AtomicInteger::get)
        .description("Scripts of the DAGs folder that cannot be loaded")
        .register(registry);
  }

  /** Records one refresh of the DAG folder. */
  public void refreshed(RefreshResult result) {
    parse.record(result.took());
    dags.set(result.dagCount());
    importErrors.set(result.importErrorCount());
  }
}
