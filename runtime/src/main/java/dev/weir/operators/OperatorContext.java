package dev.weir.operators;

import dev.weir.model.Connection;
import dev.weir.model.TaskContext;
import dev.weir.model.TaskLogger;
import java.util.Map;

/**
 * What a built-in operator needs of its try: the task context, the template variables and the log.
 *
 * @param variables what templates of the task can use
 */
public record OperatorContext(TaskContext task, Map<String, Object> variables, TaskLogger log) {

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
