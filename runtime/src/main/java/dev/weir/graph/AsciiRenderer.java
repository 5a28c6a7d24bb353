package dev.weir.graph;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tasks in dependency order, indented by their depth (the longest path from a root), each with the
 * upstream tasks it waits for. Readable in a terminal for graphs of any shape.
 */
final class AsciiRenderer implements GraphRenderer {
  @Override
  public String render(DagSpec dag) {
    Map<String, Integer> depth = new HashMap<>();
    for (String id : dag.topologicalOrder()) {
      int d = 0;
      for (String up : dag.upstream(id)) {
        d = Math.max(d, depth.get(up) + 1);
      }
      depth.put(id, d);
    }
    List<String> order =
        dag.topologicalOrder().stream()
            .sorted((a, b) -> Integer.compare(depth.get(a), depth.get(b)))
            .toList();
    int width = 0;
    for (String id : order) {
      width = Math.max(width, depth.get(id) * 2 + id.length());
    }
    StringBuilder out = new StringBuilder();
    out.append(dag.id())
        .append(" (")
        .append(dag.tasks().size())
        .append(dag.tasks().size() == 1 ? " task" : " tasks")
        .append(", schedule ")
        .append(dag.schedule().describe())
        .append(")\n");
    for (String id : order) {
      TaskSpec task = dag.tasks().get(id);
      String indent = "  ".repeat(depth.get(id));
      String name = indent + (depth.get(id) == 0 ? "" : "└ ") + id;
      out.append(String.format("%-" + (width + 4) + "s", name));
      out.append("[").append(task.action().kind()).append("]");
      Set<String> upstream = dag.upstream(id);
      if (!upstream.isEmpty()) {
        out.append("  after ").append(String.join(", ", upstream));
      }
      if (task.triggerRule() != dev.weir.model.TriggerRule.ALL_SUCCESS) {
        out.append("  (").append(task.triggerRule().scriptName()).append(")");
      }
      out.append('\n');
    }
    return out.toString();
  }
}
