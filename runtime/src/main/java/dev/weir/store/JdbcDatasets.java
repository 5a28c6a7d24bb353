package dev.weir.store;

import static dev.weir.store.JdbcMetadataStore.first;
import static dev.weir.store.JdbcMetadataStore.generatedId;
import static dev.weir.store.JdbcMetadataStore.instant;
import static dev.weir.store.JdbcMetadataStore.list;
import static dev.weir.store.JdbcMetadataStore.nullableLong;
import static dev.weir.store.JdbcMetadataStore.placeholders;
import static dev.weir.store.JdbcMetadataStore.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dataset tables of {@link JdbcMetadataStore}: each method works inside the caller's
 * transaction.
 */
final class JdbcDatasets {
  private static final String EVENT_COLUMNS =
      "e.id, d.uri, e.source_dag_id, e.source_run_id, e.source_run_pk, e.source_task_id,"
          + " e.created_at";

  private JdbcDatasets() {}

  /** The dataset's id; the dataset is created when it is new. */
  static long datasetId(Connection c, String uri, Instant now) throws SQLException {
    Optional<Long> id = existingId(c, uri);
    if (id.isPresent()) {
      return id.get();
    }
    // One writer (the scheduler) creates datasets, so no race needs a retry here.
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dataset (uri, created_at) VALUES (?, ?)", JdbcMetadataStore.ID)) {
      ps.setString(1, uri);
      setInstant(ps, 2, now);
      ps.executeUpdate();
      return generatedId(ps);
    }
  }

  private static Optional<Long> existingId(Connection c, String uri) throws SQLException {
    return first(
        c, "SELECT id FROM dataset WHERE uri = ?", ps -> ps.setString(1, uri), rs -> rs.getLong(1));
  }

  static void saveReferences(
      Connection c,
      String dagId,
      Collection<String> consumes,
      Map<String, ? extends Collection<String>> outletsByTask,
      Instant now)
      throws SQLException {
    for (String table : List.of("dataset_producer", "dataset_consumer")) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE dag_id = ?")) {
        ps.setString(1, dagId);
        ps.executeUpdate();
      }
    }
    if (!consumes.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO dataset_consumer (dataset_id, dag_id) VALUES (?, ?)")) {
        for (String uri : new LinkedHashSet<>(consumes)) {
          ps.setLong(1, datasetId(c, uri, now));
          ps.setString(2, dagId);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (outletsByTask.values().stream().anyMatch(outlets -> !outlets.isEmpty())) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO dataset_producer (dataset_id, dag_id, task_id) VALUES (?, ?, ?)")) {
        for (Map.Entry<String, ? extends Collection<String>> task : outletsByTask.entrySet()) {
          for (String uri : new LinkedHashSet<>(task.getValue())) {
            ps.setLong(1, datasetId(c, uri, now));
            ps.setString(2, dagId);
            ps.setString(3, task.getKey());
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
    }
  }

  /**
   * Records the events of a batch, and queues each for the DAGs scheduled on its dataset that have
   * no update of it queued yet (paused DAGs too: they get their run when unpaused).
   */
  static void insertEvents(Connection c, List<NewDatasetEvent> events) throws SQLException {
    for (NewDatasetEvent event : events) {
      long datasetId = datasetId(c, event.uri(), event.createdAt());
      long eventId;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO dataset_event (dataset_id, source_dag_id, source_run_id,"
                  + " source_run_pk, source_task_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
              JdbcMetadataStore.ID)) {
        ps.setLong(1, datasetId);
        ps.setString(2, event.sourceDagId());
        ps.setString(3, event.sourceRunId());
        ps.setLong(4, event.sourceRunPk());
        ps.setString(5, event.sourceTaskId());
        setInstant(ps, 6, event.createdAt());
        ps.executeUpdate();
        eventId = generatedId(ps);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO dataset_queue (dataset_id, dag_id, first_event_id, queued_at)"
                  + " SELECT c.dataset_id, c.dag_id, ?, ? FROM dataset_consumer c"
                  + " WHERE c.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM dataset_queue q"
                  + " WHERE q.dag_id = c.dag_id AND q.dataset_id = c.dataset_id)")) {
        ps.setLong(1, eventId);
        setInstant(ps, 2, event.createdAt());
        ps.setLong(3, datasetId);
        ps.executeUpdate();
      }
    }
  }

  static List<DatasetRow> datasets(Connection c) throws SQLException {
    Map<Long, String> uris = new TreeMap<>();
    Map<Long, Instant> created = new LinkedHashMap<>();
    for (Object[] row :
        list(
            c,
            "SELECT id, uri, created_at FROM dataset",
            ps -> {},
            rs -> new Object[] {rs.getLong(1), rs.getString(2), instant(rs, 3)})) {
      uris.put((Long) row[0], (String) row[1]);
      created.put((Long) row[0], (Instant) row[2]);
    }
    Map<Long, Set<DatasetRow.Producer>> producers = new LinkedHashMap<>();
    for (Object[] row :
        list(
            c,
            // A DAG the store does not know yet counts as active: it was just loaded.
            "SELECT p.dataset_id, p.dag_id, p.task_id FROM dataset_producer p"
                + " LEFT JOIN dag ON dag.dag_id = p.dag_id"
                + " WHERE dag.is_active IS NULL OR dag.is_active = TRUE",
            ps -> {},
            rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)})) {
      producers
          .computeIfAbsent(
              (Long) row[0],
              id ->
                  new TreeSet<>(
                      java.util.Comparator.comparing(DatasetRow.Producer::dagId)
                          .thenComparing(DatasetRow.Producer::taskId)))
          .add(new DatasetRow.Producer((String) row[1], (String) row[2]));
    }
    Map<Long, Set<String>> consumers = new LinkedHashMap<>();
    for (Object[] row :
        list(
            c,
            "SELECT k.dataset_id, k.dag_id FROM dataset_consumer k"
                + " LEFT JOIN dag ON dag.dag_id = k.dag_id"
                + " WHERE dag.is_active IS NULL OR dag.is_active = TRUE",
            ps -> {},
            rs -> new Object[] {rs.getLong(1), rs.getString(2)})) {
      consumers.computeIfAbsent((Long) row[0], id -> new TreeSet<>()).add((String) row[1]);
    }
    Map<Long, Object[]> stats = new LinkedHashMap<>();
    for (Object[] row :
        list(
            c,
            "SELECT dataset_id, COUNT(*), MAX(created_at) FROM dataset_event GROUP BY dataset_id",
            ps -> {},
            rs -> new Object[] {rs.getLong(1), rs.getLong(2), instant(rs, 3)})) {
      stats.put((Long) row[0], row);
    }
    List<DatasetRow> rows = new ArrayList<>();
    for (Map.Entry<Long, String> dataset : uris.entrySet()) {
      long id = dataset.getKey();
      Object[] stat = stats.get(id);
      rows.add(
          new DatasetRow(
              dataset.getValue(),
              created.get(id),
              List.copyOf(producers.getOrDefault(id, Set.of())),
              List.copyOf(consumers.getOrDefault(id, Set.of())),
              stat == null ? null : (Instant) stat[2],
              stat == null ? 0 : (Long) stat[1]));
    }
    rows.sort(java.util.Comparator.comparing(DatasetRow::uri));
    return rows;
  }

  static List<DatasetEventRow> events(Connection c, String uri, int limit) throws SQLException {
    return list(
        c,
        "SELECT "
            + EVENT_COLUMNS
            + " FROM dataset_event e JOIN dataset d ON d.id = e.dataset_id WHERE d.uri = ?"
            + " ORDER BY e.id DESC LIMIT ?",
        ps -> {
          ps.setString(1, uri);
          ps.setInt(2, limit);
        },
        JdbcDatasets::eventRow);
  }

  static List<DatasetEventRow> triggeringEvents(Connection c, long runPk) throws SQLException {
    return list(
        c,
        "SELECT "
            + EVENT_COLUMNS
            + " FROM dag_run_dataset_event l JOIN dataset_event e ON e.id = l.event_id"
            + " JOIN dataset d ON d.id = e.dataset_id WHERE l.run_pk = ? ORDER BY e.id",
        ps -> ps.setLong(1, runPk),
        JdbcDatasets::eventRow);
  }

  private static DatasetEventRow eventRow(ResultSet rs) throws SQLException {
    return new DatasetEventRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        nullableLong(rs, "source_run_pk"),
        rs.getString(6),
        instant(rs, 7));
  }

  static Map<String, Set<String>> queue(Connection c) throws SQLException {
    Map<String, Set<String>> queued = new TreeMap<>();
    for (String[] row :
        list(
            c,
            "SELECT q.dag_id, d.uri FROM dataset_queue q JOIN dataset d ON d.id = q.dataset_id",
            ps -> {},
            rs -> new String[] {rs.getString(1), rs.getString(2)})) {
      queued.computeIfAbsent(row[0], dag -> new TreeSet<>()).add(row[1]);
    }
    return queued;
  }

  static Optional<DagRunRow> insertTriggeredRun(
      Connection c,
      NewRun run,
      Collection<TaskInstanceRow> taskInstances,
      Collection<String> datasetUris)
      throws SQLException {
    Map<String, Long> queued = new LinkedHashMap<>();
    for (Object[] row :
        list(
            c,
            "SELECT d.uri, q.dataset_id FROM dataset_queue q JOIN dataset d"
                + " ON d.id = q.dataset_id WHERE q.dag_id = ?",
            ps -> ps.setString(1, run.dagId()),
            rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
      queued.put((String) row[0], (Long) row[1]);
    }
    if (datasetUris.isEmpty() || !queued.keySet().containsAll(datasetUris)) {
      return Optional.empty();
    }
    List<Long> ids = datasetUris.stream().distinct().map(queued::get).toList();
    String queuedEvents =
        " FROM dataset_event e JOIN dataset_queue q ON q.dataset_id = e.dataset_id"
            + " AND e.id >= q.first_event_id WHERE q.dag_id = ? AND q.dataset_id IN ("
            + placeholders(ids.size())
            + ")";
    JdbcMetadataStore.Binder bindQueued =
        ps -> {
          ps.setString(1, run.dagId());
          for (int i = 0; i < ids.size(); i++) {
            ps.setLong(2 + i, ids.get(i));
          }
        };
    Instant[] span =
        first(
                c,
                "SELECT MIN(e.created_at), MAX(e.created_at)" + queuedEvents,
                bindQueued,
                rs -> new Instant[] {instant(rs, 1), instant(rs, 2)})
            .orElseThrow();
    NewRun spanned =
        new NewRun(
            run.dagId(),
            run.runId(),
            run.type(),
            run.logicalDate(),
            span[0],
            span[1],
            run.conf(),
            run.queuedAt(),
            run.versionId(),
            run.backfillId());
    DagRunRow row = JdbcMetadataStore.insertRun(c, spanned, taskInstances);
    List<Long> events = list(c, "SELECT e.id" + queuedEvents, bindQueued, rs -> rs.getLong(1));
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO dag_run_dataset_event (run_pk, event_id) VALUES (?, ?)")) {
      for (long event : events) {
        ps.setLong(1, row.id());
        ps.setLong(2, event);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM dataset_queue WHERE dag_id = ?")) {
      ps.setString(1, run.dagId());
      ps.executeUpdate();
    }
    return Optional.of(row);
  }
}
