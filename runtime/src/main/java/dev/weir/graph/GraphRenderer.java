package dev.weir.graph;

import dev.weir.model.DagSpec;
import java.util.Locale;

/** Draws a DAG's task graph as text. The model knows nothing of its renderers. */
public interface GraphRenderer {
  String render(DagSpec dag);

  /** The renderer for {@code ascii}, {@code dot} or {@code mermaid}. */
  static GraphRenderer forFormat(String format) {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "ascii" -> new AsciiRenderer();
      case "dot" -> new DotRenderer();
      case "mermaid" -> new MermaidRenderer();
      default ->
          throw new IllegalArgumentException(
              "unknown format '" + format + "'; use ascii, dot or mermaid");
    };
  }
}
