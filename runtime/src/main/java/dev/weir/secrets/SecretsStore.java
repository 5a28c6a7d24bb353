package dev.weir.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.model.Connection;
import dev.weir.store.Database;
import dev.weir.store.Jdbc;
import dev.weir.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Connections and variables in the metadata database, over plain JDBC for H2 and PostgreSQL.
 * Connection passwords and extras are always stored encrypted, variables when their key {@link
 * SecretNames#looksSecret looks secret}. Every change bumps {@code secret_version}, which {@link
 * Secrets} polls to refresh its cache. Does not own the database. Thread-safe.
 */
public final class SecretsStore {
  // SQLState of a unique or primary key violation, on H2 and PostgreSQL alike.
  private static final int MAX_ID = 250;

  private static final String CONNECTION_COLUMNS =
      "conn_id, conn_type, host, port, schema_name, login, password, extra, description";

  private final DataSource dataSource;
  private final SecretCipher cipher;

  public SecretsStore(Database database, SecretCipher cipher) {
    this.dataSource = database.dataSource();
    this.cipher = cipher;
  }

  /** Where the key comes from, for messages. */
  public String keyOrigin() {
    return cipher.keyOrigin();
  }

  /** What is stored, decrypted, as of {@code version}; a value that cannot be is an error. */
  public record Contents(
      long version,
      Map<String, Result<Connection>> connections,
      Map<String, Result<String>> variables) {}

  /**
   * A stored value or why it cannot be read.
   *
   * @param secret for a variable: whether it is stored encrypted
   */
  public record Result<T>(T value, SecretsException error, boolean secret) {
    public T get() {
      if (error != null) {
        throw error;
      }
      return value;
    }
  }

  // Checks

  /**
   * Checks a connection id or variable key: 1 to 250 characters, no spaces or control characters.
   *
   * @throws SecretsException saying what is wrong
   */
  public static void checkName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new SecretsException("a " + what + " cannot be empty");
    }
    if (name.length() > MAX_ID) {
      throw new SecretsException(
          "a " + what + " has at most " + MAX_ID + " characters, got " + name.length());
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new SecretsException(
            what
                + " '"
                + name.replaceAll("\\p{Cntrl}", "?")
                + "' contains a space or control character");
      }
    }
  }

  // Connections

  /** Every connection, by id, without decrypting anything. */
  public List<ConnectionRow> connections() {
    return transaction(
        "list connections",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT " + CONNECTION_COLUMNS + " FROM connection ORDER BY conn_id");
              ResultSet rs = ps.executeQuery()) {
            List<ConnectionRow> rows = new ArrayList<>();
            while (rs.next()) {
              rows.add(connectionRow(rs));
            }
            return rows;
          }
        });
  }

  /** One connection as listings show it, without decrypting anything. */
  public Optional<ConnectionRow> connectionRow(String id) {
    return transaction(
        "read connection " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + CONNECTION_COLUMNS + " FROM connection WHERE conn_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(connectionRow(rs)) : Optional.empty();
            }
          }
        });
  }

  /**
   * A connection, decrypted.
   *
   * @throws SecretsException naming the connection when its password or extra cannot be decrypted
   */
  public Optional<Connection> connection(String id) {
    return transaction(
        "read connection " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + CONNECTION_COLUMNS + " FROM connection WHERE conn_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(decryptConnection(rs).get()) : Optional.empty();
            }
          }
        });
  }

  /**
   * Adds a connection, encrypting its password and extra.
   *
   * @return false, changing nothing, when a connection with its id exists
   */
  public boolean addConnection(Connection connection, String description) {
    String[] encrypted = checkAndEncrypt(connection);
    String id = connection.id();
    return transaction(
        "add connection " + id,
        c -> {
          try {
            insertConnection(c, connection, encrypted, description);
          } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
              c.rollback();
              return false;
            }
            throw e;
          }
          bumpVersion(c);
          return true;
        });
  }

  /**
   * Replaces a connection with this one, in one transaction, encrypting its password and extra.
   *
   * @return false, changing nothing, when there is no connection with its id
   */
  public boolean replaceConnection(Connection connection, String description) {
    String[] encrypted = checkAndEncrypt(connection);
    String id = connection.id();
    return transaction(
        "replace connection " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM connection WHERE conn_id = ?")) {
            ps.setString(1, id);
            if (ps.executeUpdate() == 0) {
              return false;
            }
          }
          insertConnection(c, connection, encrypted, description);
          bumpVersion(c);
          return true;
        });
  }

  /** Checks a connection's id and type; answers its encrypted password and extra (or nulls). */
  private String[] checkAndEncrypt(Connection connection) {
    checkName("connection id", connection.id());
    if (connection.type() == null || connection.type().isBlank()) {
      throw new SecretsException("connection '" + connection.id() + "' has no type");
    }
    String id = connection.id();
    String password =
        connection.password() == null
            ? null
            : cipher.encrypt(connection.password(), passwordContext(id));
    String extra =
        connection.extra().isEmpty()
            ? null
            : cipher.encrypt(json(connection.extra()), extraContext(id));
    return new String[] {password, extra};
  }

  private static void insertConnection(
      java.sql.Connection c, Connection connection, String[] encrypted, String description)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO connection ("
                + CONNECTION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, connection.id());
      ps.setString(2, connection.type());
      ps.setString(3, connection.host());
      if (connection.port() == null) {
        ps.setNull(4, Types.INTEGER);
      } else {
        ps.setInt(4, connection.port());
      }
      ps.setString(5, connection.schema());
      ps.setString(6, connection.login());
      ps.setString(7, encrypted[0]);
      ps.setString(8, encrypted[1]);
      ps.setString(9, description == null ? "" : description);
      ps.executeUpdate();
    }
  }

  /** Deletes a connection; false when there is none with this id. */
  public boolean deleteConnection(String id) {
    return delete("connection " + id, "DELETE FROM connection WHERE conn_id = ?", id);
  }

  // Variables

  /** Every variable, by key; encrypted values stay encrypted (null). */
  public List<VariableRow> variables() {
    return transaction(
        "list variables",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT var_key, var_value, is_encrypted, description FROM variable"
                          + " ORDER BY var_key");
              ResultSet rs = ps.executeQuery()) {
            List<VariableRow> rows = new ArrayList<>();
            while (rs.next()) {
              boolean encrypted = rs.getBoolean("is_encrypted");
              rows.add(
                  new VariableRow(
                      rs.getString("var_key"),
                      encrypted ? null : rs.getString("var_value"),
                      encrypted,
                      rs.getString("description")));
            }
            return rows;
          }
        });
  }

  /**
   * Every variable, by key, its value decrypted: for export.
   *
   * @throws SecretsException naming the first variable that cannot be decrypted
   */
  public List<VariableRow> variablesDecrypted() {
    return transaction(
        "read variables",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT var_key, var_value, is_encrypted, description FROM variable"
                          + " ORDER BY var_key");
              ResultSet rs = ps.executeQuery()) {
            List<VariableRow> rows = new ArrayList<>();
            while (rs.next()) {
              Result<String> value = decryptVariable(rs);
              rows.add(
                  new VariableRow(
                      rs.getString("var_key"),
                      value.get(),
                      value.secret(),
                      rs.getString("description")));
            }
            return rows;
          }
        });
  }

  /** One variable's row, its value decrypted. */
  public Optional<VariableRow> variableRow(String key) {
    return transaction(
        "read variable " + key,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT var_key, var_value, is_encrypted, description FROM variable"
                      + " WHERE var_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              Result<String> value = decryptVariable(rs);
              return Optional.of(
                  new VariableRow(key, value.get(), value.secret(), rs.getString("description")));
            }
          }
        });
  }

  /**
   * A variable's value, decrypted.
   *
   * @throws SecretsException naming the variable when it cannot be decrypted
   */
  public Optional<String> variable(String key) {
    return variableRow(key).map(VariableRow::value);
  }

  /** A variable's value and description, as {@link #setVariables} takes them. */
  public record NewVariable(String value, String description) {}

  /**
   * Creates or changes a variable, encrypting it when its key looks secret.
   *
   * @param description null keeps the variable's description
   * @return whether the value is stored encrypted
   */
  public boolean setVariable(String key, String value, String description) {
    setVariables(Map.of(key, new NewVariable(value, description)));
    return SecretNames.looksSecret(key);
  }

  /** Creates or changes several variables in one transaction; descriptions as in setVariable. */
  public void setVariables(Map<String, NewVariable> variables) {
    Map<String, String> stored = new LinkedHashMap<>();
    variables.forEach(
        (key, variable) -> {
          checkName("variable key", key);
          if (variable.value() == null) {
            throw new SecretsException("variable '" + key + "' has no value");
          }
          stored.put(
              key,
              SecretNames.looksSecret(key)
                  ? cipher.encrypt(variable.value(), variableContext(key))
                  : variable.value());
        });
    String what =
        variables.size() == 1
            ? "variable " + variables.keySet().iterator().next()
            : variables.size() + " variables";
    try {
      writeVariables(what, variables, stored);
    } catch (StoreException e) {
      if (!(e.getCause() instanceof SQLException cause && Jdbc.isUniqueViolation(cause))) {
        throw e;
      }
      // Another process inserted one of the keys meanwhile: now an update finds it.
      writeVariables(what, variables, stored);
    }
  }

  private void writeVariables(
      String what, Map<String, NewVariable> variables, Map<String, String> stored) {
    transaction(
        "set " + what,
        c -> {
          for (Map.Entry<String, String> entry : stored.entrySet()) {
            String key = entry.getKey();
            String description = variables.get(key).description();
            if (!updateVariable(c, key, entry.getValue(), description)) {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO variable (var_key, var_value, is_encrypted, description)"
                          + " VALUES (?, ?, ?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, entry.getValue());
                ps.setBoolean(3, SecretNames.looksSecret(key));
                ps.setString(4, description == null ? "" : description);
                ps.executeUpdate();
              }
            }
          }
          bumpVersion(c);
          return null;
        });
  }

  private static boolean updateVariable(
      java.sql.Connection c, String key, String value, String description) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE variable SET var_value = ?, is_encrypted = ?,"
                + " description = COALESCE(?, description) WHERE var_key = ?")) {
      ps.setString(1, value);
      ps.setBoolean(2, SecretNames.looksSecret(key));
      ps.setString(3, description);
      ps.setString(4, key);
      return ps.executeUpdate() > 0;
    }
  }

  /** Deletes a variable; false when there is none with this key. */
  public boolean deleteVariable(String key) {
    return delete("variable " + key, "DELETE FROM variable WHERE var_key = ?", key);
  }

  // Everything, for the cache of Secrets

  /** The number {@code secret_version} holds: it changes with every change of the tables. */
  public long version() {
    return transaction("read the version of connections and variables", SecretsStore::version);
  }

  private static long version(java.sql.Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM secret_version");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Every connection and variable, decrypted, and the version they are of. */
  public Contents contents() {
    return transaction(
        "read connections and variables",
        c -> {
          // The version first: a change committed meanwhile only makes the next check reload.
          long version = version(c);
          Map<String, Result<Connection>> connections = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT " + CONNECTION_COLUMNS + " FROM connection");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              connections.put(rs.getString("conn_id"), decryptConnection(rs));
            }
          }
          Map<String, Result<String>> variables = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT var_key, var_value, is_encrypted FROM variable");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              variables.put(rs.getString("var_key"), decryptVariable(rs));
            }
          }
          return new Contents(
              version,
              Collections.unmodifiableMap(connections),
              Collections.unmodifiableMap(variables));
        });
  }

  // Rows

  private static ConnectionRow connectionRow(ResultSet rs) throws SQLException {
    return new ConnectionRow(
        rs.getString("conn_id"),
        rs.getString("conn_type"),
        rs.getString("host"),
        port(rs),
        rs.getString("schema_name"),
        rs.getString("login"),
        rs.getString("password") != null,
        rs.getString("extra") != null,
        rs.getString("description"));
  }

  private Result<Connection> decryptConnection(ResultSet rs) throws SQLException {
    String id = rs.getString("conn_id");
    try {
      String password = rs.getString("password");
      String extra = rs.getString("extra");
      Connection connection =
          new Connection(
              id,
              rs.getString("conn_type"),
              rs.getString("host"),
              port(rs),
              rs.getString("schema_name"),
              rs.getString("login"),
              password == null
                  ? null
                  : cipher.decrypt(
                      password, passwordContext(id), "the password of connection '" + id + "'"),
              extra == null
                  ? Map.of()
                  : parseExtra(
                      id,
                      cipher.decrypt(
                          extra, extraContext(id), "the extra of connection '" + id + "'")));
      return new Result<>(connection, null, true);
    } catch (SecretsException e) {
      return new Result<>(null, e, true);
    }
  }

  private Result<String> decryptVariable(ResultSet rs) throws SQLException {
    String key = rs.getString("var_key");
    String value = rs.getString("var_value");
    if (!rs.getBoolean("is_encrypted")) {
      return new Result<>(value, null, false);
    }
    try {
      return new Result<>(
          cipher.decrypt(value, variableContext(key), "variable '" + key + "'"), null, true);
    } catch (SecretsException e) {
      return new Result<>(null, e, true);
    }
  }

  private static Integer port(ResultSet rs) throws SQLException {
    int port = rs.getInt("port");
    return rs.wasNull() ? null : port;
  }

  // What each encrypted value is bound to: a ciphertext moved to another row does not decrypt.
  private static String passwordContext(String id) {
    return "connection/" + id + "/password";
  }

  private static String extraContext(String id) {
    return "connection/" + id + "/extra";
  }

  private static String variableContext(String key) {
    return "variable/" + key;
  }

  private static String json(Map<String, Object> extra) {
    try {
      return ConnectionUris.JSON.writeValueAsString(extra);
    } catch (JsonProcessingException e) {
      throw new SecretsException("the extra cannot be written as JSON: " + e.getOriginalMessage());
    }
  }

  private static Map<String, Object> parseExtra(String id, String json) {
    try {
      return ConnectionUris.JSON.readValue(
          json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new SecretsException("the extra of connection '" + id + "' is not a JSON object");
    }
  }

  // JDBC plumbing, as in JdbcMetadataStore

  private boolean delete(String what, String sql, String id) {
    return transaction(
        "delete " + what,
        c -> {
          int deleted;
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            deleted = ps.executeUpdate();
          }
          if (deleted > 0) {
            bumpVersion(c);
          }
          return deleted > 0;
        });
  }

  private static void bumpVersion(java.sql.Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE secret_version SET version = version + 1 WHERE id = 1")) {
      ps.executeUpdate();
    }
  }

  // Runs work in one transaction: committed when it returns, rolled back when it throws.
  private <T> T transaction(String what, Jdbc.Work<T> work) {
    return Jdbc.transaction(dataSource, what, work);
  }
}
