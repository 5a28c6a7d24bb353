package dev.weir.graph;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import java.util.HashMap;
import java.util.Map;
import org.jgrapht.graph.DefaultEdge;

/** A Mermaid flowchart, which GitHub and many wikis render; task groups become subgraphs. */
final class MermaidRenderer implements GraphRenderer {
  @Override
  public String render(DagSpec dag) {
    // Mermaid node ids must be simple; task ids may hold dots and dashes.
    Map<String, String> nodeIds = new HashMap<>();
    int n = 0;
    for (String id : dag.topologicalOrder()) {
      nodeIds.put(id, "t" + n++);
    }
    StringBuilder out = new StringBuilder("flowchart LR\n");
    Map<String, StringBuilder> groups = new java.util.LinkedHashMap<>();
    for (TaskSpec task : dag.tasks().values()) {
      String node = "  " + nodeIds.get(task.id()) + "[\"" + escape(task.id()) + "\"]\n";
      if (task.group() == null) {
        out.append(node);
      } else {
        groups.computeIfAbsent(task.group(), g -> new StringBuilder()).append("  ").append(node);
      }
    }
    int g = 0;
    for (Map.Entry<String, StringBuilder> group : groups.entrySet()) {
      out.append("  subgraph g")
          .append(g++)
          .append("[\"")
          .append(escape(group.getKey()))
          .append("\"]\n");
      out.append(group.getValue());
      out.append("  end\n");
    }
    for (DefaultEdge edge : dag.graph().edgeSet()) {
      out.append("  ")
          .append(nodeIds.get(dag.graph().getEdgeSource(edge)))
          .append(" --> ")
          .append(nodeIds.get(dag.graph().getEdgeTarget(edge)))
          .append('\n');
    }
    return out.toString();
  }

  private static String escape(String text) {
    return text.replace("\"", "#quot;");
  }
}
