package dev.weir.operators;

import dev.weir.model.TaskAction;
import dev.weir.model.TaskContext;
import dev.weir.model.TaskLogger;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The built-in operators that run inside the worker's JVM (sql, sqlToSql, http, email) and users'
 * operators. Thread-safe: one instance serves every task.
 */
public final class Operators {
  private final Clock clock;
  private final HttpCaller http;

  public Operators(Clock clock) {
    this(clock, new HttpCaller());
  }

  public Operators(Clock clock, HttpCaller http) {
    this.clock = clock;
    this.http = http;
  }

  /**
   * The work of a task whose action runs in the JVM, returning the task's result; null when the
   * action is not one of those (code, bash, python, empty).
   *
   * @param variables the task's template variables
   * @param rendered where the operator keeps the template fields it renders
   * @param timeout the task's execution timeout, or null; also given to JDBC statements
   */
  public Callable<Object> work(
      TaskAction action,
      TaskContext context,
      Map<String, Object> variables,
      TaskLogger log,
      RenderedFields rendered,
      Duration timeout) {
    OperatorContext ctx = new OperatorContext(context, variables, log, rendered);
    if (action instanceof TaskAction.Sql sql) {
      return () -> SqlOperator.run(sql, ctx, timeout);
    } else if (action instanceof TaskAction.SqlToSql copy) {
      return () -> SqlToSqlOperator.run(copy, ctx, timeout);
    } else if (action instanceof TaskAction.Http request) {
      return () -> HttpOperator.run(request, ctx, http);
    } else if (action instanceof TaskAction.Email email) {
      return () -> EmailOperator.run(email, ctx, clock);
    } else if (action instanceof TaskAction.Custom custom) {
      return () -> {
        log.info("Running operator {}", custom.name());
        return custom.operator().execute(context);
      };
    }
    return null;
  }
}
