package dev.weir.operators;

import dev.weir.model.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Opens JDBC connections from Weir {@link Connection}s; shared by the SQL operators and sensors.
 *
 * <table>
 *   <caption>Connection type to JDBC URL</caption>
 *   <tr><th>type</th><th>JDBC URL</th><th>driver properties set unless extra says otherwise</th></tr>
 *   <tr><td>h2</td><td>{@code jdbc:h2:SCHEMA} (a path or {@code mem:name}); with a host, {@code
 *       jdbc:h2:tcp://HOST[:PORT]/SCHEMA}</td><td></td></tr>
 *   <tr><td>postgres, postgresql</td><td>{@code jdbc:postgresql://HOST[:PORT]/SCHEMA}</td>
 *       <td>{@code stringtype=unspecified}, so text parameters fit date and number columns</td></tr>
 *   <tr><td>mysql</td><td>{@code jdbc:mysql://HOST[:PORT]/SCHEMA}</td>
 *       <td>{@code useCursorFetch=true}, so a fetch size streams rows</td></tr>
 *   <tr><td>mariadb</td><td>{@code jdbc:mariadb://HOST[:PORT]/SCHEMA}</td><td></td></tr>
 * </table>
 *
 * <p>An extra {@code jdbc_url} replaces the URL whatever the type. Login and password become the
 * {@code user} and {@code password} properties; every other extra is a driver property (such as
 * {@code sslmode}). The MySQL and MariaDB drivers are on the class path but untested against a real
 * server.
 */
public final class JdbcConnections {
  /** The extra that holds a complete JDBC URL. */
  public static final String JDBC_URL = "jdbc_url";

  private JdbcConnections() {}

  /**
   * The JDBC URL of a connection.
   *
   * @throws OperatorException naming the connection when its type is not a database
   */
  public static String url(Connection connection) {
    Object explicit = connection.extra().get(JDBC_URL);
    if (explicit != null && !String.valueOf(explicit).isBlank()) {
      return String.valueOf(explicit);
    }
    String type = connection.type() == null ? "" : connection.type().toLowerCase(Locale.ROOT);
    String schema = connection.schema() == null ? "" : connection.schema();
    switch (type) {
      case "h2":
        if (connection.host() == null || connection.host().isBlank()) {
          if (schema.isBlank()) {
            throw new OperatorException(
                "connection '"
                    + connection.id()
                    + "' of type h2 needs a schema: a file path or mem:name");
          }
          return "jdbc:h2:" + schema;
        }
        return "jdbc:h2:tcp://" + hostPort(connection) + "/" + schema;
      case "postgres":
      case "postgresql":
        return "jdbc:postgresql://" + hostPort(connection) + "/" + schema;
      case "mysql":
        return "jdbc:mysql://" + hostPort(connection) + "/" + schema;
      case "mariadb":
        return "jdbc:mariadb://" + hostPort(connection) + "/" + schema;
      default:
        throw new OperatorException(
            "connection '"
                + connection.id()
                + "' has type '"
                + connection.type()
                + "', which is not a database; use h2, postgres, mysql or mariadb, or give a full"
                + " JDBC URL in its extra "
                + JDBC_URL);
    }
  }

  /** The driver properties of a connection: user, password, defaults, then its extras. */
  static Properties properties(Connection connection) {
    Properties properties = new Properties();
    String type = connection.type() == null ? "" : connection.type().toLowerCase(Locale.ROOT);
    if (type.equals("postgres") || type.equals("postgresql")) {
      properties.setProperty("stringtype", "unspecified");
    } else if (type.equals("mysql")) {
      properties.setProperty("useCursorFetch", "true");
    }
    if (connection.login() != null) {
      properties.setProperty("user", connection.login());
    }
    if (connection.password() != null) {
      properties.setProperty("password", connection.password());
    }
    for (Map.Entry<String, Object> extra : connection.extra().entrySet()) {
      if (!extra.getKey().equals(JDBC_URL) && extra.getValue() != null) {
        properties.setProperty(extra.getKey(), String.valueOf(extra.getValue()));
      }
    }
    return properties;
  }

  /**
   * Opens a connection with auto-commit off; the caller commits or rolls back, and closes it.
   *
   * @throws OperatorException naming the connection and its URL (never the password)
   */
  public static java.sql.Connection open(Connection connection) {
    String url = url(connection);
    try {
      java.sql.Connection jdbc = DriverManager.getConnection(url, properties(connection));
      jdbc.setAutoCommit(false);
      return jdbc;
    } catch (SQLException e) {
      throw new OperatorException(
          "cannot connect to '" + connection.id() + "' (" + url + "): " + e.getMessage(), e);
    }
  }

  private static String hostPort(Connection connection) {
    String host =
        connection.host() == null || connection.host().isBlank() ? "localhost" : connection.host();
    return connection.port() == null ? host : host + ":" + connection.port();
  }
}
