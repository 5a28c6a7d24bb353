package dev.weir.operators;

import dev.weir.model.SqlText;
import dev.weir.model.TaskAction;
import dev.weir.model.TaskLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code sql} task: its statements in order, in one transaction that is rolled back when one
 * fails. The result is the rows of the last statement that returned rows, as a list of maps from
 * column label to value, at most {@code maxRows} of them; or, when no statement returned rows, the
 * update count of the last one.
 */
final class SqlOperator {
  private SqlOperator() {}

  static Object run(TaskAction.Sql action, OperatorContext ctx, Duration timeout)
      throws SQLException {
    List<Bound> statements = bind(action.sql(), "sql", ctx);
    TaskLogger log = ctx.log();
    try (Connection jdbc = JdbcConnections.open(ctx.connection(action.conn()))) {
      Object result = null;
      try {
        int number = 0;
        for (Bound bound : statements) {
          number++;
          result =
              execute(
                  jdbc,
                  bound,
                  action.maxRows(),
                  timeout,
                  log,
                  number,
                  statements.size(),
                  action.sql());
        }
        jdbc.commit();
      } catch (SQLException | RuntimeException e) {
        rollback(jdbc, e);
        throw e;
      }
      log.info("Committed {} statement(s) on {}", statements.size(), action.conn());
      return result;
    }
  }

  private static Object execute(
      Connection jdbc,
      Bound bound,
      int maxRows,
      Duration timeout,
      TaskLogger log,
      int number,
      int of,
      SqlText sql) {
    SqlScript.Statement statement = bound.statement();
    log.info("Running statement {} of {}: {}", number, of, statement.excerpt());
    try (PreparedStatement prepared = jdbc.prepareStatement(statement.sql())) {
      if (timeout != null) {
        prepared.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      }
      prepared.setMaxRows(maxRows + 1);
      for (int i = 0; i < bound.values().size(); i++) {
        prepared.setObject(i + 1, bound.values().get(i));
      }
      long started = System.nanoTime();
      if (prepared.execute()) {
        List<Object> rows = new ArrayList<>();
        try (ResultSet results = prepared.getResultSet()) {
          ResultSetMetaData meta = results.getMetaData();
          boolean more = false;
          while (results.next()) {
            if (rows.size() == maxRows) {
              more = true;
              break;
            }
            rows.add(JdbcValues.row(results, meta));
          }
          if (more) {
            log.warn(
                "The query returned more than {} rows; the result keeps the first {} (maxRows)",
                maxRows,
                maxRows);
          }
        }
        log.info("{} row(s) in {} ms", rows.size(), (System.nanoTime() - started) / 1_000_000);
        return rows;
      }
      int count = prepared.getUpdateCount();
      log.info("{} row(s) affected in {} ms", count, (System.nanoTime() - started) / 1_000_000);
      return count;
    } catch (SQLException e) {
      throw new OperatorException(
          "statement "
              + number
              + " of "
              + of
              + " (line "
              + statement.line()
              + " of "
              + sql.origin()
              + ") failed: "
              + e.getMessage()
              + "; the transaction was rolled back",
          e);
    }
  }

  static void rollback(Connection jdbc, Exception cause) {
    try {
      jdbc.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** A statement with the values of its markers, in order. */
  record Bound(SqlScript.Statement statement, List<Object> values) {}

  /**
   * Reads and renders the SQL, splits it and hands each statement its parameter values; keeps the
   * rendered SQL as the try's field {@code field} and each parameter as {@code parameter …}.
   */
  static List<Bound> bind(SqlText sql, String field, OperatorContext ctx) {
    Map<String, Object> variables = ctx.variables();
    RenderedFields rendered = ctx.rendered();
    String text = sql.text();
    if (text == null) {
      try {
        text = Files.readString(sql.file());
      } catch (IOException e) {
        throw new OperatorException("cannot read SQL file " + sql.file() + ": " + e, e);
      }
    }
    text = rendered.put(field, Templates.render(text, variables, sql.origin()));
    List<SqlScript.Statement> statements = SqlScript.split(text);
    if (statements.isEmpty()) {
      throw new OperatorException("no SQL statement in " + sql.origin());
    }
    List<Object> positional = sql.parameters() == null ? List.of() : sql.parameters();
    int markers = statements.stream().mapToInt(SqlScript.Statement::positional).sum();
    if (markers != positional.size()) {
      throw new OperatorException(
          "the SQL has "
              + markers
              + " ? marker(s) but "
              + positional.size()
              + " positional parameter(s) were given");
    }
    Map<String, Object> named = sql.namedParameters() == null ? Map.of() : sql.namedParameters();
    List<Bound> bound = new ArrayList<>();
    int next = 0;
    for (SqlScript.Statement statement : statements) {
      if (statement.positional() > 0 && !statement.names().isEmpty()) {
        throw new OperatorException(
            "statement at line " + statement.line() + " mixes ? and :name markers; use one kind");
      }
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < statement.positional(); i++) {
        String parameter = "parameter " + (next + 1);
        values.add(
            rendered.putValue(parameter, render(positional.get(next++), variables, parameter)));
      }
      for (String name : statement.names()) {
        if (!named.containsKey(name)) {
          throw new OperatorException(
              "statement at line "
                  + statement.line()
                  + " uses :"
                  + name
                  + " but parameters has no '"
                  + name
                  + "'"
                  + (named.isEmpty() ? "" : " (it has " + String.join(", ", named.keySet()) + ")"));
        }
        values.add(
            rendered.putValue(
                "parameter " + name, render(named.get(name), variables, "parameter " + name)));
      }
      bound.add(new Bound(statement, values));
    }
    return bound;
  }

  private static Object render(Object value, Map<String, Object> variables, String field) {
    return value instanceof String s ? Templates.render(s, variables, field) : value;
  }
}
