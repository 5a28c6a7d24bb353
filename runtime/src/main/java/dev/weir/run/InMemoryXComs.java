package dev.weir.run;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** XCom values kept in memory, for {@code weir dags test}. Thread-safe. */
public final class InMemoryXComs implements XComSource {
  private record Key(String dagId, String runId, String taskId, String key) {}

  private final Map<Key, SortedMap<Integer, Object>> values = new ConcurrentHashMap<>();

  /** Keeps the values an ended try pushed. */
  public void record(
      String dagId, String runId, String taskId, int mapIndex, Map<String, Object> pushed) {
    pushed.forEach(
        (key, value) ->
            values
                .computeIfAbsent(new Key(dagId, runId, taskId, key), k -> new TreeMap<>())
                .put(mapIndex, value));
  }

  @Override
  public synchronized SortedMap<Integer, Object> values(
      String dagId, String runId, String taskId, String key) {
    SortedMap<Integer, Object> found = values.get(new Key(dagId, runId, taskId, key));
    return found == null ? new TreeMap<>() : new TreeMap<>(found);
  }
}
