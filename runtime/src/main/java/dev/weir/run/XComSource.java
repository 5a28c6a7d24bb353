package dev.weir.run;

import java.util.SortedMap;

/** Reads XCom values that ended tries wrote. */
public interface XComSource {

  /**
   * The values a task of a run pushed under a key, by map index (-1 for an unmapped task); empty
   * when there are none. Values are as decoded from JSON: maps, lists, strings, numbers, booleans
   * and nulls.
   */
  SortedMap<Integer, Object> values(String dagId, String runId, String taskId, String key);
}
