package dev.weir.scheduler;

import dev.weir.model.MapSource;
import dev.weir.model.TaskSpec;
import dev.weir.model.XCom;
import dev.weir.run.TaskXCom;
import dev.weir.store.MetadataStore;
import java.util.List;
import java.util.SortedMap;

/** How many instances a mapped task expands to: the length of its list. */
final class MapLengths {
  private MapLengths() {}

  /**
   * The length of the task's list: a literal one, or the list its upstream task returned.
   *
   * @throws IllegalArgumentException when the upstream's result is missing or not a list
   */
  static int of(ActiveRun run, TaskSpec task, MetadataStore store) {
    if (task.expand() instanceof MapSource.Literal literal) {
      return literal.items().size();
    }
    String upstream = ((MapSource.Upstream) task.expand()).taskId();
    SortedMap<Integer, String> values =
        store.xcomValues(run.dag().id(), run.row().runId(), upstream, XCom.RETURN_VALUE);
    TaskSpec upstreamTask = run.dag().tasks().get(upstream);
    if (upstreamTask != null && upstreamTask.isMapped()) {
      return values.size(); // mapped over a mapped task: one instance per upstream result
    }
    String json = values.get(-1);
    Object value = json == null ? null : TaskXCom.decode(json);
    if (value instanceof List<?> list) {
      return list.size();
    }
    throw new IllegalArgumentException(
        "task '"
            + task.id()
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
