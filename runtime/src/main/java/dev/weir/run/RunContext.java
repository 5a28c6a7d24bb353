package dev.weir.run;

import dev.weir.model.DagSpec;
import dev.weir.schedule.DataInterval;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every task of one DAG run shares: the run's id, logical date, data interval and
 * configuration.
 */
public record RunContext(
    DagSpec dag, String runId, DataInterval interval, Map<String, Object> conf) {

  public RunContext {
    // Not Map.copyOf: a JSON conf may hold nulls.
    conf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
  }

  public ZonedDateTime logicalDate() {
    return interval.logicalDate().atZone(dag.timezone());
  }

  /** The DAG's parameter defaults, overridden by conf values of the same name. */
  public Map<String, Object> params() {
    Map<String, Object> params = new LinkedHashMap<>();
    dag.params().forEach((name, spec) -> params.put(name, spec.defaultValue()));
    conf.forEach(
        (name, value) -> {
          if (dag.params().containsKey(name)) {
            params.put(name, value);
          }
        });
    return params;
  }

  /** Airflow's run id form: {@code manual__2025-01-01T03:00:00+00:00}. */
  public static String runId(String type, DataInterval interval) {
    return type + "__" + Dates.iso(interval.logicalDate(), java.time.ZoneOffset.UTC);
  }
}
