package dev.weir.metrics;

import dev.weir.state.RunState;
import dev.weir.store.MetadataStore;
import dev.weir.store.RunQuery;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the metadata store, for a web server that runs without a scheduler in its
 * process: active runs by state and import errors, under the names the scheduler uses. The store is
 * read at most once per {@link #MAX_AGE}, however often Prometheus scrapes.
 */
public final class StoreMetrics {
  public static final Duration MAX_AGE = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(StoreMetrics.class);

  private final MetadataStore store;
  private final Clock clock;
  private final Map<RunState, Double> runs = new EnumMap<>(RunState.class);
  private double importErrors = Double.NaN;
  private Instant readAt;

  private StoreMetrics(MetadataStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Registers the store's gauges. */
  public static void register(MeterRegistry registry, MetadataStore store, Clock clock) {
    StoreMetrics metrics = new StoreMetrics(store, clock);
    for (RunState state : RunState.values()) {
      if (!state.isFinished()) {
        Gauge.builder("weir.dag.runs", metrics, m -> m.runs(state))
            .description("Active DAG runs by state")
            .tag("state", state.label())
            .register(registry);
      }
    }
    Gauge.builder("weir.dag.import.errors", metrics, StoreMetrics::importErrors)
        .description("Scripts of the DAGs folder that cannot be loaded")
        .register(registry);
  }

  private synchronized double runs(RunState state) {
    readIfOld();
    return runs.getOrDefault(state, Double.NaN);
  }

  private synchronized double importErrors() {
    readIfOld();
    return importErrors;
  }

  private void readIfOld() {
    Instant now = clock.instant();
    if (readAt != null && now.isBefore(readAt.plus(MAX_AGE))) {
      return;
    }
    readAt = now;
    try {
      for (RunState state : RunState.values()) {
        if (!state.isFinished()) {
          runs.put(
              state, (double) store.countRuns(new RunQuery(null, Set.of(state), null, null, 0, 0)));
        }
      }
      importErrors = store.importErrors().size();
    } catch (RuntimeException e) {
      // Unknown, not zero: a gap in the graph rather than a false "all quiet".
      log.warn("Cannot read the metrics of the metadata store: {}", e.getMessage());
      runs.clear();
      importErrors = Double.NaN;
    }
  }
}
