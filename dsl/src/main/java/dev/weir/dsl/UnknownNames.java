package dev.weir.dsl;

import groovy.lang.Closure;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns Groovy's "no such method/property" into a DSL error in the user's terms. */
final class UnknownNames {
  private static final List<String> TASK_KINDS =
      List.of(
          "task",
          "bash",
          "empty",
          "branch",
          "shortCircuit",
          "sql",
          "sqlToSql",
          "http",
          "python",
          "email",
          "operator",
          "sensor",
          "fileSensor",
          "sqlSensor",
          "httpSensor",
          "externalTaskSensor",
          "dateTimeSensor",
          "triggerDagRun");

  private UnknownNames() {}

  /**
   * A DslException for a name the DSL block did not know, or empty when the exception came from the
   * user's own code (a missing method on a String, say) and must pass through unchanged.
   */
  static Optional<DslException> explain(RuntimeException e, DslSession session) {
    Class<?> type =
        e instanceof MissingMethodException m
            ? m.getType()
            : ((MissingPropertyException) e).getType();
    if (!isDslType(type)) {
      return Optional.empty();
    }
    DslSession.Block block = session.currentBlock();
    List<String> keywords = block == null ? WeirScript.keywords() : block.keywords();
    String where = block == null ? "at the top of the script" : "in " + block.description();
    int line = ScriptLines.firstScriptLine(e, session);
    if (e instanceof MissingMethodException missing) {
      String name = missing.getMethod();
      if (keywords.contains(name)) {
        return Optional.of(
            new DslException(
                name + " cannot take (" + argumentTypes(missing.getArguments()) + ") " + where,
                line,
                e));
      }
      String kinds =
          block != null && keywords.contains("task")
              ? " (task kinds: " + String.join(", ", TASK_KINDS) + ")"
              : "";
      return Optional.of(
          new DslException(
              "unknown keyword '" + name + "' " + where + Names.didYouMean(name, keywords) + kinds,
              line,
              e));
    }
    String name = ((MissingPropertyException) e).getProperty();
    // Keywords are methods, so an unknown name is a misspelt variable: suggest task ids, which
    // variables are usually named after.
    List<String> candidates = new ArrayList<>();
    session.dags().forEach(dag -> candidates.addAll(dag.taskIds()));
    return Optional.of(
        new DslException(
            "unknown name '"
                + name
                + "' "
                + where
                + " (not a variable, task or keyword)"
                + Names.didYouMean(name, candidates),
            line,
            e));
  }

  private static boolean isDslType(Class<?> type) {
    return type != null
        && (Script.class.isAssignableFrom(type)
            || Closure.class.isAssignableFrom(type)
            || TaskContainer.class.isAssignableFrom(type)
            || TaskSettings.class.isAssignableFrom(type)
            || ParamsBuilder.class.equals(type));
  }

  private static String argumentTypes(Object[] arguments) {
    if (arguments == null || arguments.length == 0) {
      return "no arguments";
    }
    return Arrays.stream(arguments)
        .map(a -> a == null ? "null" : a.getClass().getSimpleName())
        .collect(Collectors.joining(", "));
  }
}
