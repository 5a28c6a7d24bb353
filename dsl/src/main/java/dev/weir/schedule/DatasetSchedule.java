package dev.weir.schedule;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs when every one of its datasets has been updated since the DAG's last dataset-triggered run
 * (Airflow's data-aware scheduling). There are no time-based runs; manual runs work as with {@code
 * none()}.
 *
 * @param datasets the datasets, at least one, without duplicates, in the order written
 */
public record DatasetSchedule(List<Dataset> datasets) implements Schedule {

  public DatasetSchedule {
    if (datasets == null || datasets.isEmpty()) {
      throw new ScheduleException(
          "datasets(…) needs at least one dataset URI, such as datasets('file:///data/sales.csv')");
    }
    datasets = List.copyOf(new LinkedHashSet<>(datasets));
  }

  /** The URIs of the datasets, in order. */
  public List<String> uris() {
    return datasets.stream().map(Dataset::uri).toList();
  }

  @Override
  public boolean timeBased() {
    return false;
  }

  @Override
  public String describe() {
    return datasets.stream().map(Dataset::uri).collect(Collectors.joining(", ", "datasets(", ")"));
  }
}
