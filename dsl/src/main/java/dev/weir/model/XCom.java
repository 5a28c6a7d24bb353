package dev.weir.model;

import java.util.List;

/**
 * Small values tasks pass to each other within a run ({@code ctx.xcom}). A task's result is kept
 * under the key {@value #RETURN_VALUE}; values are stored as JSON.
 */
public interface XCom {
  /** The key of a task's result. */
  String RETURN_VALUE = "return_value";

  /** Keeps a value under a key of this task; it becomes visible to others when the try ends. */
  void push(String key, Object value);

  /**
   * The result of a task of this run, or null when it has none. For a mapped task, the list of its
   * instances' results in map-index order.
   */
  Object pull(String taskId);

  /** A value a task of this run pushed under {@code key}; for a mapped task, a list. */
  Object pull(String taskId, String key);

  /** The results of several tasks, in the order given. */
  List<Object> pull(List<String> taskIds);

  /** Values several tasks pushed under {@code key}, in the order given. */
  List<Object> pull(List<String> taskIds, String key);
}
