package dev.weir.sensors;

import dev.weir.model.Connection;
import dev.weir.model.SensorCheck;
import dev.weir.run.TaskInstanceContext;
import java.math.BigDecimal;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

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
    try (java.sql.Connection db =
            DriverManager.getConnection(
                SensorJdbc.url(connection), SensorJdbc.properties(connection));
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

  /**
   * JDBC URLs and driver properties from a connection, for the SQL sensor alone.
   *
   * <p>Types: {@code h2} ({@code jdbc:h2:SCHEMA}, or {@code jdbc:h2:tcp://HOST[:PORT]/SCHEMA} with
   * a host) and {@code postgres}/{@code postgresql}; an extra {@code jdbc_url} replaces the URL.
   * Login and password are the user and password; other extras are driver properties.
   */
  static final class SensorJdbc {
    private SensorJdbc() {}

    static String url(Connection c) {
      Object explicit = c.extra().get("jdbc_url");
      if (explicit != null && !String.valueOf(explicit).isBlank()) {
        return String.valueOf(explicit);
      }
      String type = c.type() == null ? "" : c.type().toLowerCase(Locale.ROOT);
      String schema = c.schema() == null ? "" : c.schema();
      String hostPort = c.host() + (c.port() == null ? "" : ":" + c.port());
      if (type.equals("h2")) {
        return c.host() == null || c.host().isBlank()
            ? "jdbc:h2:" + schema
            : "jdbc:h2:tcp://" + hostPort + "/" + schema;
      }
      if (type.equals("postgres") || type.equals("postgresql")) {
        return "jdbc:postgresql://" + hostPort + "/" + schema;
      }
      throw new SensorProblem(
          "connection '"
              + c.id()
              + "' has type '"
              + c.type()
              + "', which is not a database; use h2 or postgres, or give a full JDBC URL in its"
              + " extra jdbc_url");
    }

    static Properties properties(Connection c) {
      Properties properties = new Properties();
      if (c.login() != null) {
        properties.setProperty("user", c.login());
      }
      if (c.password() != null) {
        properties.setProperty("password", c.password());
      }
      String type = c.type() == null ? "" : c.type().toLowerCase(Locale.ROOT);
      if (type.startsWith("postgres")) {
        // Text parameters such as '{{ ds }}' then fit date and number columns.
        properties.setProperty("stringtype", "unspecified");
      }
      c.extra()
          .forEach(
              (key, value) -> {
                if (!key.equals("jdbc_url") && value != null) {
                  properties.setProperty(key, String.valueOf(value));
                }
              });
      return properties;
    }
  }
}
