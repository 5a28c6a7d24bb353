package dev.weir.operators;

import dev.weir.model.TaskAction;
import dev.weir.model.TaskLogger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@code sqlToSql} task: streams the source query's rows (a fetch size of one batch, so rows
 * are never all in memory) into JDBC batch inserts on the target. The target's {@code preSql} and
 * every insert are one transaction: a failure leaves the target as it was. The result is the number
 * of rows copied.
 */
final class SqlToSqlOperator {
  /** How often progress is logged, in rows. */
  private static final long LOG_EVERY_ROWS = 100_000;

  private SqlToSqlOperator() {}

  static long run(TaskAction.SqlToSql action, OperatorContext ctx, Duration timeout)
      throws SQLException {
    List<SqlOperator.Bound> statements = SqlOperator.bind(action.query(), "query", ctx);
    if (statements.size() != 1) {
      throw new OperatorException(
          "the query of a sqlToSql task must be one statement, got " + statements.size());
    }
    SqlOperator.Bound query = statements.get(0);
    String preSql = ctx.render(action.preSql(), "preSql");
    TaskLogger log = ctx.log();
    try (Connection source = JdbcConnections.open(ctx.connection(action.source()));
        Connection target = JdbcConnections.open(ctx.connection(action.target()))) {
      try {
        if (preSql != null) {
          runPreSql(target, preSql, timeout, log);
        }
        long copied = copy(source, target, query, action, timeout, log);
        target.commit();
        source.rollback(); // nothing to keep; ends the read transaction
        log.info(
            "Copied {} row(s) from {} into {} on {}",
            copied,
            action.source(),
            action.table(),
            action.target());
        return copied;
      } catch (SQLException | RuntimeException e) {
        SqlOperator.rollback(target, e);
        SqlOperator.rollback(source, e);
        throw e;
      }
    }
  }

  private static void runPreSql(
      Connection target, String preSql, Duration timeout, TaskLogger log) {
    for (SqlScript.Statement statement : SqlScript.split(preSql)) {
      log.info("Running preSql on the target: {}", statement.excerpt());
      try (Statement jdbc = target.createStatement()) {
        if (timeout != null) {
          jdbc.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
        }
        jdbc.execute(statement.sql());
        log.info("preSql: {} row(s) affected", Math.max(jdbc.getUpdateCount(), 0));
      } catch (SQLException e) {
        throw new OperatorException("preSql failed: " + e.getMessage() + "; nothing was copied", e);
      }
    }
  }

  private static long copy(
      Connection source,
      Connection target,
      SqlOperator.Bound query,
      TaskAction.SqlToSql action,
      Duration timeout,
      TaskLogger log) {
    log.info("Reading from {}: {}", action.source(), query.statement().excerpt());
    try (PreparedStatement read =
        source.prepareStatement(
            query.statement().sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      read.setFetchSize(action.batchSize());
      if (timeout != null) {
        read.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      }
      for (int i = 0; i < query.values().size(); i++) {
        read.setObject(i + 1, query.values().get(i));
      }
      try (ResultSet rows = read.executeQuery()) {
        ResultSetMetaData meta = rows.getMetaData();
        int columns = meta.getColumnCount();
        String insert = insertSql(action.table(), meta);
        log.info("Writing to {}: {}", action.target(), insert);
        return insert(rows, columns, target, insert, action.batchSize(), log);
      }
    } catch (SQLException e) {
      throw new OperatorException(
          "reading from '"
              + action.source()
              + "' failed: "
              + e.getMessage()
              + "; nothing was copied",
          e);
    }
  }

  private static long insert(
      ResultSet rows, int columns, Connection target, String insert, int batchSize, TaskLogger log)
      throws SQLException {
    long copied = 0;
    try (PreparedStatement write = target.prepareStatement(insert)) {
      int inBatch = 0;
      while (rows.next()) {
        for (int i = 1; i <= columns; i++) {
          write.setObject(i, rows.getObject(i));
        }
        write.addBatch();
        inBatch++;
        if (inBatch == batchSize) {
          copied += flush(write, inBatch, copied);
          inBatch = 0;
          if (copied % LOG_EVERY_ROWS < batchSize) {
            log.info("Copied {} rows so far", copied);
          }
        }
      }
      if (inBatch > 0) {
        copied += flush(write, inBatch, copied);
      }
    }
    return copied;
  }

  private static int flush(PreparedStatement write, int rows, long copiedBefore) {
    try {
      write.executeBatch();
      return rows;
    } catch (SQLException e) {
      SQLException cause = e.getNextException() != null ? e.getNextException() : e;
      throw new OperatorException(
          "inserting rows "
              + (copiedBefore + 1)
              + " to "
              + (copiedBefore + rows)
              + " failed: "
              + cause.getMessage()
              + "; the target was rolled back, nothing was copied",
          e);
    }
  }

  /** {@code INSERT INTO table (a, b) VALUES (?, ?)}, with the query's column labels. */
  static String insertSql(String table, ResultSetMetaData meta) throws SQLException {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String label = meta.getColumnLabel(i);
      if (!label.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
        throw new OperatorException(
            "column "
                + i
                + " of the query is labelled '"
                + label
                + "'; give it a plain name with AS, the name of the target's column");
      }
      names.add(label);
    }
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", names)
        + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(names.size(), "?"))
        + ")";
  }
}
