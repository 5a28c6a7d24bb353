package dev.weir.scheduler;

import dev.weir.run.TaskXCom;
import java.util.LinkedHashMap;
import java.util.Map;

/** XCom values as the store keeps them: JSON text by key. */
final class XComJson {
  private XComJson() {}

  static Map<String, String> encode(String taskId, Map<String, Object> values) {
    Map<String, String> json = new LinkedHashMap<>();
    values.forEach((key, value) -> json.put(key, TaskXCom.encode(taskId, key, value)));
    return json;
  }
}
