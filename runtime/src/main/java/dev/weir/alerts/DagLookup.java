package dev.weir.alerts;

import dev.weir.model.DagSpec;

/** The DAG a run was created from, by its version: where a row's callbacks are found. */
@FunctionalInterface
public interface DagLookup {
  /**
   * @return the DAG of that version, or null when it is no longer known
   * @throws RuntimeException when it cannot be loaded; the row is then marked failed
   */
  DagSpec dag(long versionId, String dagId);
}
