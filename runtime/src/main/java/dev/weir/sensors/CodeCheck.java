package dev.weir.sensors;

import dev.weir.model.TaskContext;
import groovy.lang.Closure;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

/**
 * {@code sensor('id') { ctx -> … }}: done when the closure's value is Groovy-true (a non-empty
 * string or collection, a non-zero number, true, any other object). A value other than a boolean
 * becomes the task's result.
 */
final class CodeCheck implements Check {
  private final Closure<?> body;
  private final TaskContext context;

  CodeCheck(Closure<?> body, TaskContext context) {
    this.body = body;
    this.context = context;
  }

  @Override
  public Poke poke() {
    Object value = body.getMaximumNumberOfParameters() == 0 ? body.call() : body.call(context);
    if (!DefaultTypeTransformation.castToBoolean(value)) {
      return Poke.waiting("the closure returned " + (value == null ? "null" : "'" + value + "'"));
    }
    return Poke.done(value instanceof Boolean ? null : value);
  }
}
