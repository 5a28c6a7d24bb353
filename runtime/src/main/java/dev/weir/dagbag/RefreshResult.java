package dev.weir.dagbag;

import java.time.Duration;
import java.util.List;

/**
 * What one {@link DagBag#refresh()} did. Files are named by their display path, such as {@code
 * dags/etl.groovy}, and listed in path order.
 *
 * @param added files seen for the first time
 * @param changed files whose content changed
 * @param removed files that vanished; their DAGs were dropped
 * @param failed added or changed files that could not be loaded (they are import errors now)
 * @param dagCount how many DAGs the bag holds afterwards
 * @param importErrorCount how many import errors the bag holds afterwards
 * @param took how long the refresh took
 */
public record RefreshResult(
    List<String> added,
    List<String> changed,
    List<String> removed,
    List<String> failed,
    int dagCount,
    int importErrorCount,
    Duration took) {

  public RefreshResult {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
    failed = List.copyOf(failed);
  }

  /** Whether any file was added, changed or removed. */
  public boolean changedAnything() {
    return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
  }
}
