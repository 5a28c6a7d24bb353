package dev.weir.store;

import java.time.Instant;
import java.util.List;

/**
 * A dataset with what the active DAGs say of it and a summary of its events.
 *
 * @param producers the tasks that list it in their outlets
 * @param consumers the ids of the DAGs scheduled on it
 * @param lastEventAt when it was last updated, or null if never
 */
public record DatasetRow(
    String uri,
    Instant createdAt,
    List<Producer> producers,
    List<String> consumers,
    Instant lastEventAt,
    long eventCount) {

  /** A task that updates the dataset. */
  public record Producer(String dagId, String taskId) {
    @Override
    public String toString() {
      return dagId + "." + taskId;
    }
  }
}
