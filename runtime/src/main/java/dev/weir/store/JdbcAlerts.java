package dev.weir.store;

import static dev.weir.store.JdbcMetadataStore.first;
import static dev.weir.store.JdbcMetadataStore.instant;
import static dev.weir.store.JdbcMetadataStore.list;
import static dev.weir.store.JdbcMetadataStore.setInstant;

import dev.weir.model.CallbackEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert outbox of {@link JdbcMetadataStore}: events with callbacks that wait for delivery, and
 * their outcomes. Each method works inside the caller's transaction.
 */
final class JdbcAlerts {
  private static final String COLUMNS =
      "a.id, a.run_pk, r.dag_id, r.run_id, a.event, a.task_id, a.map_index, a.try_number,"
          + " a.error, a.created_at";

  private JdbcAlerts() {}

  static List<AlertRow> pending(Connection c, int limit) throws SQLException {
    return list(
        c,
        "SELECT "
            + COLUMNS
            + " FROM alert a JOIN dag_run r ON r.id = a.run_pk"
            + " WHERE a.delivered_at IS NULL ORDER BY a.id LIMIT ?",
        ps -> ps.setInt(1, limit),
        JdbcAlerts::row);
  }

  static List<AlertRow> ofRun(Connection c, long runPk) throws SQLException {
    return list(
        c,
        "SELECT "
            + COLUMNS
            + " FROM alert a JOIN dag_run r ON r.id = a.run_pk WHERE a.run_pk = ? ORDER BY a.id",
        ps -> ps.setLong(1, runPk),
        JdbcAlerts::row);
  }

  static Optional<String> outcome(Connection c, long alertId) throws SQLException {
    return first(
        c,
        "SELECT outcome FROM alert WHERE id = ?",
        ps -> ps.setLong(1, alertId),
        rs -> rs.getString(1));
  }

  static void delivered(Connection c, Map<Long, String> outcomes, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE alert SET delivered_at = ?, outcome = ? WHERE id = ?")) {
      for (Map.Entry<Long, String> entry : outcomes.entrySet()) {
        setInstant(ps, 1, at);
        ps.setString(2, entry.getValue());
        ps.setLong(3, entry.getKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static AlertRow row(ResultSet rs) throws SQLException {
    return new AlertRow(
        rs.getLong("id"),
        rs.getLong("run_pk"),
        rs.getString("dag_id"),
        rs.getString("run_id"),
        CallbackEvent.fromLabel(rs.getString("event")),
        rs.getString("task_id"),
        rs.getInt("map_index"),
        rs.getInt("try_number"),
        rs.getString("error"),
        instant(rs, "created_at"));
  }
}
