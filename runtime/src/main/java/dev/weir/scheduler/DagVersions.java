package dev.weir.scheduler;

import dev.weir.dsl.DagDefinitionException;
import dev.weir.dsl.DagScriptCompiler;
import dev.weir.model.DagSpec;
import dev.weir.store.DagVersion;
import dev.weir.store.MetadataStore;
import java.util.HashMap;
import java.util.Map;

/**
 * The DAG of each saved version. The versions the DAG folder holds now are put here as they are
 * loaded; an older one (a run that began before its file changed, found again after a restart) is
 * compiled from the source text saved with it.
 */
final class DagVersions {
  private final MetadataStore store;
  private final DagScriptCompiler compiler = new DagScriptCompiler();
  private final Map<Long, DagSpec> byId = new HashMap<>();

  DagVersions(MetadataStore store) {
    this.store = store;
  }

  synchronized void put(long versionId, DagSpec dag) {
    byId.put(versionId, dag);
  }

  /**
   * The DAG of a version.
   *
   * @throws VersionUnavailableException when the version is unknown or its script no longer loads
   */
  synchronized DagSpec get(long versionId, String dagId) {
    DagSpec known = byId.get(versionId);
    if (known != null) {
      return known;
    }
    DagVersion version =
        store
            .version(versionId)
            .orElseThrow(
                () ->
                    new VersionUnavailableException(
                        dagId, versionId, "the store has no such version"));
    try {
      for (DagSpec dag : compiler.load(version.file(), version.source())) {
        if (dag.id().equals(dagId)) {
          byId.put(versionId, dag);
          return dag;
        }
      }
    } catch (DagDefinitionException e) {
      throw new VersionUnavailableException(dagId, versionId, e.getMessage());
    }
    throw new VersionUnavailableException(
        dagId, versionId, "its script " + version.file() + " does not define the DAG");
  }

  /** A run's DAG version cannot be loaded, so the run cannot go on. */
  static final class VersionUnavailableException extends RuntimeException {
    VersionUnavailableException(String dagId, long versionId, String why) {
      super("cannot load version " + versionId + " of DAG " + dagId + ": " + why);
    }
  }
}
