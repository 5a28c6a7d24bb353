package dev.weir.store;

import static dev.weir.store.JdbcMetadataStore.INSTANCE_COLUMNS;
import static dev.weir.store.JdbcMetadataStore.RUN_COLUMNS;
import static dev.weir.store.JdbcMetadataStore.TRY_COLUMNS;
import static dev.weir.store.JdbcMetadataStore.first;
import static dev.weir.store.JdbcMetadataStore.instant;
import static dev.weir.store.JdbcMetadataStore.list;
import static dev.weir.store.JdbcMetadataStore.placeholders;
import static dev.weir.store.JdbcMetadataStore.setInstant;
import static dev.weir.store.JdbcMetadataStore.setStrings;
import static dev.weir.store.JdbcMetadataStore.taskState;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.state.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link JdbcMetadataStore} keeps and reads for people browsing history (the web UI and REST
 * API): pages of runs, a run's tries, a task's tries and XCom values across runs, and the rendered
 * template fields of each try. Each method works inside the caller's transaction.
 */
final class JdbcHistory {
  // Few enough markers for any database (PostgreSQL allows 32767 per statement).
  private static final int MAX_IN_LIST = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> FIELDS =
      new TypeReference<>() {};

  private JdbcHistory() {}

  static List<DagRunRow> runs(Connection c, RunQuery q) throws SQLException {
    return list(
        c,
        "SELECT "
            + RUN_COLUMNS
            + " FROM dag_run"
            + where(q)
            + " ORDER BY logical_date DESC, id DESC LIMIT ? OFFSET ?",
        ps -> {
          int next = bind(ps, q);
          ps.setInt(next++, q.limit());
          ps.setInt(next, q.offset());
        },
        JdbcMetadataStore::runRow);
  }

  static int countRuns(Connection c, RunQuery q) throws SQLException {
    return first(
            c, "SELECT COUNT(*) FROM dag_run" + where(q), ps -> bind(ps, q), rs -> rs.getInt(1))
        .orElse(0);
  }

  private static String where(RunQuery q) {
    List<String> conditions = new ArrayList<>();
    if (q.dagId() != null) {
      conditions.add("dag_id = ?");
    }
    if (!q.states().isEmpty()) {
      conditions.add("state IN (" + placeholders(q.states().size()) + ")");
    }
    if (q.logicalDateFrom() != null) {
      conditions.add("logical_date >= ?");
    }
    if (q.logicalDateTo() != null) {
      conditions.add("logical_date <= ?");
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /** Binds the conditions of {@link #where}; returns the index of the next marker. */
  private static int bind(PreparedStatement ps, RunQuery q) throws SQLException {
    int next = 1;
    if (q.dagId() != null) {
      ps.setString(next++, q.dagId());
    }
    if (!q.states().isEmpty()) {
      List<String> labels = q.states().stream().map(RunState::label).sorted().toList();
      setStrings(ps, next, labels);
      next += labels.size();
    }
    if (q.logicalDateFrom() != null) {
      setInstant(ps, next++, q.logicalDateFrom());
    }
    if (q.logicalDateTo() != null) {
      setInstant(ps, next++, q.logicalDateTo());
    }
    return next;
  }

  static List<TaskTryRow> triesOfRun(Connection c, long runPk) throws SQLException {
    return list(
        c,
        "SELECT "
            + TRY_COLUMNS
            + " FROM task_try WHERE run_pk = ?"
            + " ORDER BY start_date, task_id, map_index, try_number",
        ps -> ps.setLong(1, runPk),
        JdbcMetadataStore::tryRow);
  }

  static List<TaskInstanceRow> taskInstancesOfRuns(Connection c, Collection<Long> runPks)
      throws SQLException {
    List<Long> keys = List.copyOf(new LinkedHashSet<>(runPks));
    List<TaskInstanceRow> rows = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += MAX_IN_LIST) {
      List<Long> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_IN_LIST));
      rows.addAll(
          list(
              c,
              "SELECT "
                  + INSTANCE_COLUMNS
                  + " FROM task_instance WHERE run_pk IN ("
                  + placeholders(chunk.size())
                  + ")",
              ps -> {
                for (int i = 0; i < chunk.size(); i++) {
                  ps.setLong(i + 1, chunk.get(i));
                }
              },
              JdbcMetadataStore::instanceRow));
    }
    // Sorted here, not by SQL: the chunks must come out in one order.
    rows.sort(
        java.util.Comparator.comparingLong(TaskInstanceRow::runPk)
            .thenComparing(TaskInstanceRow::taskId)
            .thenComparingInt(TaskInstanceRow::mapIndex));
    return rows;
  }

  // The DAG's latest runs, newest first: what the charts across runs span.
  private static final String LATEST_RUNS =
      "(SELECT id, run_id, logical_date FROM dag_run WHERE dag_id = ?"
          + " ORDER BY logical_date DESC LIMIT ?) r";

  static List<TaskHistoryRow> taskHistory(Connection c, String dagId, String taskId, int runLimit)
      throws SQLException {
    return list(
        c,
        "SELECT r.run_id, r.logical_date, t.map_index, t.try_number, t.state, t.start_date,"
            + " t.end_date FROM "
            + LATEST_RUNS
            + " JOIN task_try t ON t.run_pk = r.id WHERE t.task_id = ?"
            + " ORDER BY r.logical_date DESC, t.map_index, t.try_number",
        ps -> {
          ps.setString(1, dagId);
          ps.setInt(2, runLimit);
          ps.setString(3, taskId);
        },
        rs ->
            new TaskHistoryRow(
                rs.getString("run_id"),
                instant(rs, "logical_date"),
                rs.getInt("map_index"),
                rs.getInt("try_number"),
                taskState(rs.getString("state")),
                instant(rs, "start_date"),
                instant(rs, "end_date")));
  }

  static List<XComHistoryRow> xcomHistory(
      Connection c, String dagId, String taskId, String key, int runLimit) throws SQLException {
    return list(
        c,
        "SELECT r.run_id, r.logical_date, x.map_index, x.json_value FROM "
            + LATEST_RUNS
            + " JOIN xcom x ON x.run_pk = r.id WHERE x.task_id = ? AND x.xcom_key = ?"
            + " ORDER BY r.logical_date DESC, x.map_index",
        ps -> {
          ps.setString(1, dagId);
          ps.setInt(2, runLimit);
          ps.setString(3, taskId);
          ps.setString(4, key);
        },
        rs ->
            new XComHistoryRow(
                rs.getString("run_id"),
                instant(rs, "logical_date"),
                rs.getInt("map_index"),
                rs.getString("json_value")));
  }

  static List<XComKey> xcomKeys(Connection c, String dagId) throws SQLException {
    return list(
        c,
        "SELECT DISTINCT x.task_id, x.xcom_key FROM xcom x JOIN dag_run r ON r.id = x.run_pk"
            + " WHERE r.dag_id = ? ORDER BY x.task_id, x.xcom_key",
        ps -> ps.setString(1, dagId),
        rs -> new XComKey(rs.getString(1), rs.getString(2)));
  }

  // Rendered template fields

  /**
   * Records the rendered fields of tries; a try that is not in the store (its run was deleted
   * meanwhile) gets none.
   */
  static void saveRenderedFields(Connection c, Collection<Batch.RenderedTry> tries)
      throws SQLException {
    if (tries.isEmpty()) {
      return;
    }
    try (PreparedStatement delete =
            c.prepareStatement(
                "DELETE FROM rendered_fields"
                    + " WHERE run_pk = ? AND task_id = ? AND map_index = ? AND try_number = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO rendered_fields (run_pk, task_id, map_index, try_number, fields_json)"
                    + " SELECT run_pk, task_id, map_index, try_number, ? FROM task_try"
                    + " WHERE run_pk = ? AND task_id = ? AND map_index = ? AND try_number = ?")) {
      for (Batch.RenderedTry rendered : tries) {
        bindTry(delete, 1, rendered);
        delete.addBatch();
        insert.setString(1, json(rendered));
        bindTry(insert, 2, rendered);
        insert.addBatch();
      }
      delete.executeBatch();
      insert.executeBatch();
    }
  }

  private static void bindTry(PreparedStatement ps, int first, Batch.RenderedTry rendered)
      throws SQLException {
    ps.setLong(first, rendered.runPk());
    ps.setString(first + 1, rendered.taskId());
    ps.setInt(first + 2, rendered.mapIndex());
    ps.setInt(first + 3, rendered.tryNumber());
  }

  private static String json(Batch.RenderedTry rendered) {
    try {
      return JSON.writeValueAsString(rendered.fields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the rendered fields of " + rendered, e);
    }
  }

  static Map<String, String> renderedFields(
      Connection c, long runPk, String taskId, int mapIndex, int tryNumber) throws SQLException {
    Optional<String> json =
        first(
            c,
            "SELECT fields_json FROM rendered_fields"
                + " WHERE run_pk = ? AND task_id = ? AND map_index = ? AND try_number = ?",
            ps -> {
              ps.setLong(1, runPk);
              ps.setString(2, taskId);
              ps.setInt(3, mapIndex);
              ps.setInt(4, tryNumber);
            },
            rs -> rs.getString(1));
    if (json.isEmpty()) {
      return Map.of();
    }
    try {
      return Collections.unmodifiableMap(JSON.readValue(json.get(), FIELDS));
    } catch (JsonProcessingException e) {
      throw new SQLException("the stored rendered fields are not a JSON object of texts", e);
    }
  }
}
