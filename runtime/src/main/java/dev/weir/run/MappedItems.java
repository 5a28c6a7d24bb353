package dev.weir.run;

import dev.weir.model.MapSource;
import dev.weir.model.XCom;
import java.util.List;

/** Finds the item an instance of a mapped task works on. */
public final class MappedItems {
  /** The most instances a mapped task may expand to, unless configured (Airflow's default). */
  public static final int DEFAULT_MAX_LENGTH = 1024;

  private MappedItems() {}

  /**
   * Checks how many instances a mapped task would expand to.
   *
   * @throws IllegalArgumentException naming the task, the count and the limit when over it
   */
  public static void checkLength(String taskId, int count, int maxLength) {
    if (count > maxLength) {
      throw new IllegalArgumentException(
          "mapped task '"
              + taskId
              + "' would expand to "
              + count
              + " instances, over the limit of "
              + maxLength
              + " (setting mapping.max-length)");
    }
  }

  /** The item of the attempt's map index, or null when the task is not mapped. */
  static Object item(TaskAttempt attempt, XCom xcom) {
    MapSource source = attempt.task().expand();
    if (source == null || attempt.mapIndex() < 0) {
      return null;
    }
    List<?> items = list(attempt.task().id(), source, xcom);
    if (attempt.mapIndex() >= items.size()) {
      throw new IllegalArgumentException(
          "mapped task '"
              + attempt.task().id()
              + "' has no item "
              + attempt.mapIndex()
              + ": its list has "
              + items.size()
              + " items now");
    }
    return items.get(attempt.mapIndex());
  }

  /** The list a mapped task is expanded over. */
  public static List<?> list(String taskId, MapSource source, XCom xcom) {
    if (source instanceof MapSource.Literal literal) {
      return literal.items();
    }
    String upstream = ((MapSource.Upstream) source).taskId();
    Object value = xcom.pull(upstream);
    if (value instanceof List<?> list) {
      return list;
    }
    throw new IllegalArgumentException(
        "task '"
            + taskId
            + "' is mapped over the result of '"
            + upstream
            + "', which must be a list, but is "
            + (value == null ? "missing (it returned nothing)" : "a " + describe(value)));
  }

  private static String describe(Object value) {
    String text = String.valueOf(value);
    return value.getClass().getSimpleName()
        + ": "
        + (text.length() > 80 ? text.substring(0, 80) + "…" : text);
  }
}
