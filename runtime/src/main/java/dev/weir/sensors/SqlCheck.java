package dev.weir.sensors;

import dev.weir.model.Connection;
import dev.weir.model.SensorCheck;
import dev.weir.operators.JdbcConnections;
import dev.weir.operators.OperatorException;
import dev.weir.run.TaskInstanceContext;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sqlSensor}: runs the query on the connection's database at each poke; done when the first
 * cell of the first row is truthy. A query that fails fails the try, as in Airflow.
 */
final class SqlCheck implements Check {
  private final Connection connection;
  private final String query;
  private final List<Object> parameters;

  private SqlCheck(Connection connection, String query, List<Object> parameters) {
    this.connection = connection;
    this.query = query;
    this.parameters = parameters;
  }

  static Check of(SensorCheck.Sql spec, TaskInstanceContext context, Rendering rendering) {
    Connection connection;
    try {
      connection = context.connection(spec.conn());
    } catch (IllegalArgumentException e) {
      throw new SensorProblem(e.getMessage(), e);
    }
    List<Object> parameters = new ArrayList<>();
    for (int i = 0; i < spec.parameters().size(); i++) {
      parameters.add(rendering.deep("parameters." + i, spec.parameters().get(i)));
    }
    return new SqlCheck(connection, rendering.text("query", spec.query()), parameters);
  }

  @Override
  public Poke poke() {
    // The operators' helper: connection types, URLs and driver properties are the sql task's.
    java.sql.Connection opened;
    try {
      opened = JdbcConnections.open(connection);
    } catch (OperatorException e) {
      throw new SensorProblem(e.getMessage(), e);
    }
    try (java.sql.Connection db = opened;
        PreparedStatement statement = db.prepareStatement(query)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return Poke.waiting("the query returned no row");
        }
        Object cell = rows.getObject(1);
        return truthy(cell)
            ? Poke.done(cell)
            : Poke.waiting(
                "the query's first cell is " + (cell == null ? "null" : "'" + cell + "'"));
      }
    } catch (SQLException e) {
      throw new SensorProblem(
          "query on connection '" + connection.id() + "' failed: " + e.getMessage(), e);
    }
  }

  /** Not null, not zero, not an empty string, not false, 'false' or '0'. */
  static boolean truthy(Object cell) {
    if (cell == null) {
      return false;
    }
    if (cell instanceof Boolean b) {
      return b;
    }
    if (cell instanceof BigDecimal decimal) {
      return decimal.signum() != 0;
    }
    if (cell instanceof Number number) {
      return number.doubleValue() != 0;
    }
    String text = cell.toString().trim();
    return !text.isEmpty() && !text.equals("0") && !text.toLowerCase(Locale.ROOT).equals("false");
  }
}
