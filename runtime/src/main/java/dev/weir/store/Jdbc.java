package dev.weir.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** What every JDBC store of Weir's does the same way: transactions and reading SQL states. */
public final class Jdbc {
  private static final String UNIQUE_VIOLATION = "23505";

  private Jdbc() {}

  /** Work done on one connection, inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs work in one transaction: committed when it returns, rolled back when it throws.
   *
   * @throws StoreException saying what could not be done, for an SQLException
   */
  public static <T> T transaction(DataSource dataSource, String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /** Whether the error, or one chained to it, is a unique constraint violation. */
  public static boolean isUniqueViolation(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
