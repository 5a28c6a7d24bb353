package dev.weir.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.model.XCom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code ctx.xcom} of one try: pushes are kept here and written with the try's end; pulls read what
 * earlier tries of the run wrote. Every value goes through JSON at push, so a task sees the same
 * value whether it pulls in this process or after a restart.
 */
public final class TaskXCom implements XCom {
  // Groovy's "…$x" strings are GStrings: stored as their text, not as the bean they also are.
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(
              new com.fasterxml.jackson.databind.module.SimpleModule()
                  .addSerializer(
                      groovy.lang.GString.class,
                      com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance));

  private final RunContext run;
  private final String taskId;
  private final XComSource source;
  private final int maxBytes;
  private final Map<String, Object> pushed = new LinkedHashMap<>();

  public TaskXCom(RunContext run, String taskId, XComSource source, int maxBytes) {
    this.run = run;
    this.taskId = taskId;
    this.source = source;
    this.maxBytes = maxBytes;
  }

  @Override
  public void push(String key, Object value) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("an XCom key must not be blank");
    }
    pushed.put(key, roundTrip(taskId, key, value, maxBytes));
  }

  /** The value as JSON will give it back; fails with a clear message when it is too big. */
  static Object roundTrip(String taskId, String key, Object value, int maxBytes) {
    String json = encode(taskId, key, value);
    int size = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (size > maxBytes) {
      throw new XComTooLargeException(
          "XCom '"
              + key
              + "' of task '"
              + taskId
              + "' is "
              + size
              + " bytes of JSON, over the limit of "
              + maxBytes
              + " (setting xcom.max-bytes); keep large data in files or tables and pass their"
              + " location");
    }
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read back JSON Weir wrote: " + json, e);
    }
  }

  /** The value as JSON text. */
  public static String encode(String taskId, String key, Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "XCom '"
              + key
              + "' of task '"
              + taskId
              + "' cannot be stored as JSON ("
              + (value == null ? "null" : value.getClass().getName())
              + "): use maps, lists, strings, numbers and booleans",
          e);
    }
  }

  /** Decodes a stored value. */
  public static Object decode(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the store holds an XCom that is not JSON: " + json, e);
    }
  }

  /** The values pushed in this try, by key, in push order. */
  public Map<String, Object> pushed() {
    return Collections.unmodifiableMap(pushed);
  }

  @Override
  public Object pull(String fromTask) {
    return pull(fromTask, RETURN_VALUE);
  }

  @Override
  public Object pull(String fromTask, String key) {
    DagSpec dag = run.dag();
    TaskSpec task = dag.tasks().get(fromTask);
    if (task == null) {
      throw new IllegalArgumentException(
          "xcom.pull: DAG '" + dag.id() + "' has no task '" + fromTask + "'");
    }
    if (fromTask.equals(taskId) && pushed.containsKey(key)) {
      return pushed.get(key);
    }
    SortedMap<Integer, Object> values = source.values(dag.id(), run.runId(), fromTask, key);
    if (task.isMapped()) {
      return Collections.unmodifiableList(new ArrayList<>(values.values()));
    }
    return values.get(-1);
  }

  @Override
  public List<Object> pull(List<String> taskIds) {
    return pull(taskIds, RETURN_VALUE);
  }

  @Override
  public List<Object> pull(List<String> taskIds, String key) {
    List<Object> values = new ArrayList<>(taskIds.size());
    for (String id : taskIds) {
      values.add(pull(id, key));
    }
    return values;
  }

  /** An XCom value over the configured size limit. */
  public static final class XComTooLargeException extends IllegalArgumentException {
    XComTooLargeException(String message) {
      super(message);
    }
  }
}
