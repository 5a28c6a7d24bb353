package dev.weir.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * An embedded PostgreSQL server for tests, one per test class, with a fresh database per test.
 * Where it cannot start, the tests that need it are skipped, unless {@code
 * WEIR_REQUIRE_ALL_TESTS=1} (as in CI) makes that a failure.
 */
public final class TestPostgres implements AutoCloseable {
  private final EmbeddedPostgres server;
  private final String unavailable;
  private final AtomicInteger databases = new AtomicInteger();

  private TestPostgres(EmbeddedPostgres server, String unavailable) {
    this.server = server;
    this.unavailable = unavailable;
  }

  /**
   * Starts a server, or notes why it cannot start.
   *
   * @throws AssertionError when it cannot start and {@code WEIR_REQUIRE_ALL_TESTS=1}
   */
  public static TestPostgres start() {
    try {
      return new TestPostgres(EmbeddedPostgres.builder().start(), null);
    } catch (Exception | Error e) {
      String unavailable = "embedded PostgreSQL cannot start here: " + e;
      if ("1".equals(System.getenv("WEIR_REQUIRE_ALL_TESTS"))) {
        throw new AssertionError(unavailable + " (WEIR_REQUIRE_ALL_TESTS=1 requires it)", e);
      }
      return new TestPostgres(null, unavailable);
    }
  }

  /** Skips the calling test when the server could not start. */
  public void assumeRunning() {
    // Skipped test by test, not the class: Surefire does not report a skipped class at all.
    Assumptions.assumeTrue(server != null, unavailable);
  }

  public int port() {
    assumeRunning();
    return server.getPort();
  }

  /** Creates a fresh database named {@code prefix} and a number, and returns its name. */
  public String newDatabase(String prefix) throws SQLException {
    assumeRunning();
    String name = prefix + databases.incrementAndGet();
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /** The JDBC URL of a database of this server. */
  public String url(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
