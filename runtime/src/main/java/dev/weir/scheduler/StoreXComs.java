package dev.weir.scheduler;

import dev.weir.run.TaskXCom;
import dev.weir.run.XComSource;
import dev.weir.store.MetadataStore;
import java.util.SortedMap;
import java.util.TreeMap;

/** XCom values read from the metadata store, where the scheduler writes them as tries end. */
public final class StoreXComs implements XComSource {
  private final MetadataStore store;

  public StoreXComs(MetadataStore store) {
    this.store = store;
  }

  @Override
  public SortedMap<Integer, Object> values(String dagId, String runId, String taskId, String key) {
    SortedMap<Integer, Object> values = new TreeMap<>();
    store
        .xcomValues(dagId, runId, taskId, key)
        .forEach((mapIndex, json) -> values.put(mapIndex, TaskXCom.decode(json)));
    return values;
  }
}
