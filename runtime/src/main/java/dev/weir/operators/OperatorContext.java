package dev.weir.operators;

import dev.weir.model.Connection;
import dev.weir.model.TaskContext;
import dev.weir.model.TaskLogger;
import java.util.Map;

/**
 * What a built-in operator needs of its try: the task context, the template variables, the log and
 * where to keep the fields it renders.
 *
 * @param variables what templates of the task can use
 */
public record OperatorContext(
    TaskContext task, Map<String, Object> variables, TaskLogger log, RenderedFields rendered) {

  /** A template field rendered, and kept as the try's; null stays null. */
  String render(String text, String field) {
    return rendered.put(field, Templates.render(text, variables, field));
  }

  /** A connection by id; a missing one fails the task with a message naming it. */
  Connection connection(String id) {
    try {
      return task.connection(id);
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          e.getMessage() == null ? "no connection '" + id + "'" : e.getMessage(), e);
    }
  }
}
