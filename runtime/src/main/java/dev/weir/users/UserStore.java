package dev.weir.users;

import static dev.weir.store.JdbcMetadataStore.instant;
import static dev.weir.store.JdbcMetadataStore.setInstant;

import dev.weir.store.Database;
import dev.weir.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Users, their sessions and API tokens in the metadata database. Passwords are bcrypt hashes;
 * session and API tokens are kept as SHA-256 digests. Does not own the database. Thread-safe.
 */
public final class UserStore {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9._@ -]{1,100}");

  // An API token's last use is written at most this often, not on every request.
  private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

  private final DataSource dataSource;

  public UserStore(Database database) {
    this.dataSource = database.dataSource();
  }

  // Users

  /**
   * @throws UsersException when the name is malformed or taken, or the password too short
   */
  public UserRow create(String username, Role role, String password, Instant now) {
    checkUsername(username);
    Passwords.check(password);
    String hash = Passwords.hash(password);
    return Jdbc.transaction(
        dataSource,
        "create user " + username,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO web_user (username, password_hash, role, created_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            ps.setString(1, username);
            ps.setString(2, hash);
            ps.setString(3, role.stored());
            setInstant(ps, 4, now);
            ps.executeUpdate();
          } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
              throw new UsersException("user '" + username + "' exists already");
            }
            throw e;
          }
          return new UserRow(username, role, now, null);
        });
  }

  /**
   * @return false when there is no such user
   * @throws UsersException when the password is too short
   */
  public boolean setPassword(String username, String password) {
    Passwords.check(password);
    String hash = Passwords.hash(password);
    return update(
        "set the password of " + username,
        "UPDATE web_user SET password_hash = ? WHERE username = ?",
        hash,
        username);
  }

  public Optional<UserRow> user(String username) {
    return Jdbc.transaction(
        dataSource,
        "read user " + username,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT username, role, created_at, last_login_at FROM web_user"
                      + " WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(user(rs)) : Optional.<UserRow>empty();
            }
          }
        });
  }

  /** Every user, by name. */
  public List<UserRow> users() {
    return Jdbc.transaction(
        dataSource,
        "list users",
        c -> {
          List<UserRow> users = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT username, role, created_at, last_login_at FROM web_user"
                          + " ORDER BY username");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              users.add(user(rs));
            }
          }
          return users;
        });
  }

  /**
   * Deletes a user with its sessions and tokens.
   *
   * @return false when there was no such user
   */
  public boolean delete(String username) {
    return update("delete user " + username, "DELETE FROM web_user WHERE username = ?", username);
  }

  /**
   * The user when the password is theirs, recording the login. Takes as long for an unknown user.
   */
  public Optional<UserRow> authenticate(String username, String password, Instant now) {
    Optional<String> hash =
        Jdbc.transaction(
            dataSource,
            "read user " + username,
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT password_hash FROM web_user WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
              }
            });
    if (hash.isEmpty()) {
      Passwords.spendVerificationTime(password);
      return Optional.empty();
    }
    if (!Passwords.matches(password, hash.get())) {
      return Optional.empty();
    }
    Jdbc.transaction(
        dataSource,
        "record the login of " + username,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE web_user SET last_login_at = ? WHERE username = ?")) {
            setInstant(ps, 1, now);
            ps.setString(2, username);
            return ps.executeUpdate();
          }
        });
    return user(username);
  }

  // Sessions

  /** Opens a session for the user, valid for {@code lifetime}. */
  public NewSession openSession(UserRow user, Instant now, Duration lifetime) {
    String token = Tokens.random();
    String csrf = Tokens.random();
    Instant expiresAt = now.plus(lifetime);
    Jdbc.transaction(
        dataSource,
        "open a session for " + user.username(),
        c -> {
          // Expired sessions go when new ones come, so the table does not grow.
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM web_session WHERE expires_at < ?")) {
            setInstant(ps, 1, now);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO web_session (token_hash, username, csrf_token, created_at,"
                      + " expires_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, Tokens.digest(token));
            ps.setString(2, user.username());
            ps.setString(3, csrf);
            setInstant(ps, 4, now);
            setInstant(ps, 5, expiresAt);
            return ps.executeUpdate();
          }
        });
    return new NewSession(token, new Session(user, csrf, expiresAt));
  }

  /** The live session of this token, or empty when unknown or expired. */
  public Optional<Session> session(String token, Instant now) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    return Jdbc.transaction(
        dataSource,
        "read a session",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT u.username, u.role, u.created_at, u.last_login_at, s.csrf_token,"
                      + " s.expires_at FROM web_session s JOIN web_user u"
                      + " ON u.username = s.username WHERE s.token_hash = ?")) {
            ps.setString(1, Tokens.digest(token));
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.<Session>empty();
              }
              Instant expiresAt = instant(rs, "expires_at");
              if (!expiresAt.isAfter(now)) {
                return Optional.<Session>empty();
              }
              return Optional.of(new Session(user(rs), rs.getString("csrf_token"), expiresAt));
            }
          }
        });
  }

  /** Ends a session (logout); an unknown token is no error. */
  public void closeSession(String token) {
    if (token != null) {
      update("close a session", "DELETE FROM web_session WHERE token_hash = ?", digest(token));
    }
  }

  // API tokens

  /**
   * Creates an API token for the user; the token is returned once and never stored.
   *
   * @throws UsersException when the user is unknown, or has a token of that name
   */
  public String createToken(String username, String name, Instant now) {
    if (name == null || !TOKEN_NAME.matcher(name).matches()) {
      throw new UsersException(
          "a token name has 1 to 100 letters, digits, spaces or . _ @ -; got '" + name + "'");
    }
    if (user(username).isEmpty()) {
      throw new UsersException("there is no user '" + username + "'");
    }
    String token = Tokens.random();
    Jdbc.transaction(
        dataSource,
        "create a token for " + username,
        c -> {
          if (tokenNamed(c, username, name)) {
            throw new UsersException(
                "user '" + username + "' has a token named '" + name + "' already");
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO api_token (token_hash, username, name, created_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            ps.setString(1, Tokens.digest(token));
            ps.setString(2, username);
            ps.setString(3, name);
            setInstant(ps, 4, now);
            return ps.executeUpdate();
          }
        });
    return token;
  }

  /** The user an API token belongs to, or empty for an unknown token. */
  public Optional<UserRow> tokenUser(String token, Instant now) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    String digest = Tokens.digest(token);
    return Jdbc.transaction(
        dataSource,
        "read an API token",
        c -> {
          Optional<UserRow> user;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT u.username, u.role, u.created_at, u.last_login_at FROM api_token t"
                      + " JOIN web_user u ON u.username = t.username WHERE t.token_hash = ?")) {
            ps.setString(1, digest);
            try (ResultSet rs = ps.executeQuery()) {
              user = rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
          }
          if (user.isPresent()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE api_token SET last_used_at = ? WHERE token_hash = ?"
                        + " AND (last_used_at IS NULL OR last_used_at < ?)")) {
              setInstant(ps, 1, now);
              ps.setString(2, digest);
              setInstant(ps, 3, now.minus(LAST_USED_PRECISION));
              ps.executeUpdate();
            }
          }
          return user;
        });
  }

  /** The user's API tokens, by name. */
  public List<TokenRow> tokens(String username) {
    return Jdbc.transaction(
        dataSource,
        "list the tokens of " + username,
        c -> {
          List<TokenRow> tokens = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT username, name, created_at, last_used_at FROM api_token"
                      + " WHERE username = ? ORDER BY name")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                tokens.add(
                    new TokenRow(
                        rs.getString("username"),
                        rs.getString("name"),
                        instant(rs, "created_at"),
                        instant(rs, "last_used_at")));
              }
            }
          }
          return tokens;
        });
  }

  /**
   * @return false when the user has no token of that name
   */
  public boolean deleteToken(String username, String name) {
    return update(
        "delete a token of " + username,
        "DELETE FROM api_token WHERE username = ? AND name = ?",
        username,
        name);
  }

  // Helpers

  private static boolean tokenNamed(Connection c, String username, String name)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM api_token WHERE username = ? AND name = ?")) {
      ps.setString(1, username);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void checkUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new UsersException(
          "a username has 1 to 64 letters, digits or . _ @ -; got '" + username + "'");
    }
  }

  private static String digest(String token) {
    return Tokens.digest(token);
  }

  private boolean update(String what, String sql, String... values) {
    return Jdbc.transaction(
        dataSource,
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
              ps.setString(i + 1, values[i]);
            }
            return ps.executeUpdate() > 0;
          }
        });
  }

  private static UserRow user(ResultSet rs) throws SQLException {
    return new UserRow(
        rs.getString("username"),
        Role.fromStored(rs.getString("role")),
        instant(rs, "created_at"),
        instant(rs, "last_login_at"));
  }
}
