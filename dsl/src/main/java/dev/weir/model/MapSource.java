package dev.weir.model;

import java.util.List;

/** What a mapped task is expanded over: one task instance per item. */
public sealed interface MapSource {

  /** A list written in the script. */
  record Literal(List<Object> items) implements MapSource {
    public Literal {
      // Not List.copyOf: items may be null.
      items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }
  }

  /** The list an upstream task returned, known only at run time. */
  record Upstream(String taskId) implements MapSource {}
}
