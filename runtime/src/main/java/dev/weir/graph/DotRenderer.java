package dev.weir.graph;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.graph.DefaultEdge;

/** Graphviz DOT, with task groups as clusters. */
final class DotRenderer implements GraphRenderer {
  @Override
  public String render(DagSpec dag) {
    StringBuilder out = new StringBuilder();
    out.append("digraph ").append(quote(dag.id())).append(" {\n");
    out.append("  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    Map<String, List<TaskSpec>> byGroup = new LinkedHashMap<>();
    for (TaskSpec task : dag.tasks().values()) {
      byGroup
          .computeIfAbsent(task.group() == null ? "" : task.group(), g -> new ArrayList<>())
          .add(task);
    }
    int cluster = 0;
    for (Map.Entry<String, List<TaskSpec>> entry : byGroup.entrySet()) {
      String indent = "  ";
      if (!entry.getKey().isEmpty()) {
        out.append("  subgraph cluster_").append(cluster++).append(" {\n");
        out.append("    label=").append(quote(entry.getKey())).append(";\n");
        indent = "    ";
      }
      for (TaskSpec task : entry.getValue()) {
        out.append(indent)
            .append(quote(task.id()))
            .append(" [label=")
            .append(quote(task.id() + "\n" + task.action().kind()))
            .append("];\n");
      }
      if (!entry.getKey().isEmpty()) {
        out.append("  }\n");
      }
    }
    for (DefaultEdge edge : dag.graph().edgeSet()) {
      out.append("  ")
          .append(quote(dag.graph().getEdgeSource(edge)))
          .append(" -> ")
          .append(quote(dag.graph().getEdgeTarget(edge)))
          .append(";\n");
    }
    return out.append("}\n").toString();
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
