package dev.weir.store;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata store over plain JDBC, for H2 and PostgreSQL. Times are stored in UTC with
 * microsecond precision: finer instants are truncated on the way in.
 */
public final class JdbcMetadataStore implements MetadataStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcMetadataStore.class);

  // SQLState of a unique or primary key violation, on H2 and PostgreSQL alike.
  static final String[] ID = {"id"};
  private static final int LEASE_ROW = 1;

  static final String RUN_COLUMNS =
      "id, dag_id, run_id, run_type, logical_date, interval_start, interval_end, conf, state,"
          + " queued_at, start_date, end_date, version_id, backfill_id, deadline_at,"
          + " deadline_missed_at";
  static final String INSTANCE_COLUMNS =
      "run_pk, task_id, state, try_number, max_tries, start_date, end_date, next_try_at, error,"
          + " map_index, first_start_date";
  static final String TRY_COLUMNS =
      "run_pk, task_id, try_number, state, start_date, end_date, hostname, scheduler_id, error,"
          + " map_index";
  private static final String DAG_COLUMNS =
      "dag_id, file_path, is_paused, is_active, last_parsed_at, version_id, next_run_at";
  private static final String COMMAND_COLUMNS =
      "id, kind, payload, created_at, done_at, result, error";
  private static final String LEASE_COLUMNS =
      "scheduler_id, hostname, pid, started_at, heartbeat_at";

  private static final String INSERT_INSTANCE =
      "INSERT INTO task_instance ("
          + INSTANCE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_TRY =
      "INSERT INTO task_try (" + TRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String END_TRY =
      "UPDATE task_try SET state = ?, end_date = ?, error = ?"
          + " WHERE run_pk = ? AND task_id = ? AND map_index = ? AND try_number = ?";
  private static final String UPDATE_INSTANCE =
      "UPDATE task_instance SET state = ?, try_number = ?, max_tries = ?, start_date = ?,"
          + " end_date = ?, next_try_at = ?, error = ?, first_start_date = ?"
          + " WHERE run_pk = ? AND task_id = ? AND map_index = ?";
  private static final String DELETE_INSTANCE =
      "DELETE FROM task_instance WHERE run_pk = ? AND task_id = ? AND map_index = ?";
  private static final String DELETE_XCOMS =
      "DELETE FROM xcom WHERE run_pk = ? AND task_id = ? AND map_index = ?";
  private static final String INSERT_XCOM =
      "INSERT INTO xcom (run_pk, task_id, map_index, xcom_key, json_value, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)";
  private static final String UPDATE_RUN =
      "UPDATE dag_run SET state = ?, start_date = ?, end_date = ? WHERE id = ?";
  private static final String MISS_DEADLINE =
      "UPDATE dag_run SET deadline_at = ?, deadline_missed_at = ? WHERE id = ?";
  private static final String INSERT_ALERT =
      "INSERT INTO alert (run_pk, event, task_id, map_index, try_number, error, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final Database database;
  private final DataSource dataSource;

  /** A store over this database; closing the store closes the database. */
  public JdbcMetadataStore(Database database) {
    this.database = database;
    this.dataSource = database.dataSource();
  }

  // DAGs and versions

  @Override
  public long saveVersion(
      String dagId,
      String sha256,
      String gitCommit,
      String file,
      String source,
      Instant createdAt) {
    return transaction(
        "save a version of DAG " + dagId,
        c -> {
          Optional<Long> saved = versionId(c, dagId, sha256);
          if (saved.isPresent()) {
            return saved.get();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO dag_version (dag_id, sha256, git_commit, file_path, source_text,"
                      + " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                  ID)) {
            ps.setString(1, dagId);
            ps.setString(2, sha256);
            ps.setString(3, gitCommit);
            ps.setString(4, file);
            ps.setString(5, source);
            setInstant(ps, 6, createdAt);
            ps.executeUpdate();
            return generatedId(ps);
          } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
              throw e;
            }
            // Another process saved the same version first: use that one.
            c.rollback();
            return versionId(c, dagId, sha256).orElseThrow(() -> e);
          }
        });
  }

  private static Optional<Long> versionId(Connection c, String dagId, String sha256)
      throws SQLException {
    return first(
        c,
        "SELECT id FROM dag_version WHERE dag_id = ? AND sha256 = ?",
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, sha256);
        },
        rs -> rs.getLong(1));
  }

  @Override
  public Optional<DagVersion> version(long id) {
    return one(
        "read DAG version " + id,
        "SELECT id, dag_id, sha256, git_commit, file_path, source_text, created_at"
            + " FROM dag_version WHERE id = ?",
        ps -> ps.setLong(1, id),
        rs ->
            new DagVersion(
                rs.getLong("id"),
                rs.getString("dag_id"),
                rs.getString("sha256"),
                rs.getString("git_commit"),
                rs.getString("file_path"),
                rs.getString("source_text"),
                instant(rs, "created_at")));
  }

  @Override
  public void saveDag(
      String dagId, String file, long versionId, boolean pausedAtCreation, Instant parsedAt) {
    transaction(
        "save DAG " + dagId,
        c -> {
          if (updateDag(c, dagId, file, versionId, parsedAt)) {
            return null;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO dag (" + DAG_COLUMNS + ") VALUES (?, ?, ?, TRUE, ?, ?, NULL)")) {
            ps.setString(1, dagId);
            ps.setString(2, file);
            ps.setBoolean(3, pausedAtCreation);
            setInstant(ps, 4, parsedAt);
            ps.setLong(5, versionId);
            ps.executeUpdate();
          } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
              throw e;
            }
            // Inserted meanwhile by another process: update it as a known DAG.
            c.rollback();
            updateDag(c, dagId, file, versionId, parsedAt);
          }
          return null;
        });
  }

  private static boolean updateDag(
      Connection c, String dagId, String file, long versionId, Instant parsedAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE dag SET file_path = ?, version_id = ?, last_parsed_at = ?, is_active = TRUE"
                + " WHERE dag_id = ?")) {
      ps.setString(1, file);
      ps.setLong(2, versionId);
      setInstant(ps, 3, parsedAt);
      ps.setString(4, dagId);
      return ps.executeUpdate() > 0;
    }
  }

  @Override
  public void deactivateDags(Collection<String> dagIds) {
    if (dagIds.isEmpty()) {
      return;
    }
    transaction(
        "deactivate DAGs " + dagIds,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE dag SET is_active = FALSE WHERE dag_id = ?")) {
            for (String dagId : dagIds) {
              ps.setString(1, dagId);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public List<DagRow> dags() {
    return all(
        "list DAGs",
        "SELECT " + DAG_COLUMNS + " FROM dag ORDER BY dag_id",
        NO_PARAMETERS,
        JdbcMetadataStore::dagRow);
  }

  @Override
  public Optional<DagRow> dag(String dagId) {
    return one(
        "read DAG " + dagId,
        "SELECT " + DAG_COLUMNS + " FROM dag WHERE dag_id = ?",
        ps -> ps.setString(1, dagId),
        JdbcMetadataStore::dagRow);
  }

  private static DagRow dagRow(ResultSet rs) throws SQLException {
    return new DagRow(
        rs.getString("dag_id"),
        rs.getString("file_path"),
        rs.getBoolean("is_paused"),
        rs.getBoolean("is_active"),
        instant(rs, "last_parsed_at"),
        nullableLong(rs, "version_id"),
        instant(rs, "next_run_at"));
  }

  @Override
  public boolean setPaused(String dagId, boolean paused) {
    return update(
            (paused ? "pause" : "unpause") + " DAG " + dagId,
            "UPDATE dag SET is_paused = ? WHERE dag_id = ?",
            ps -> {
              ps.setBoolean(1, paused);
              ps.setString(2, dagId);
            })
        > 0;
  }

  @Override
  public void setNextRunAt(String dagId, Instant nextRunAt) {
    update(
        "set the next run of DAG " + dagId,
        "UPDATE dag SET next_run_at = ? WHERE dag_id = ?",
        ps -> {
          setInstant(ps, 1, nextRunAt);
          ps.setString(2, dagId);
        });
  }

  // Import errors

  @Override
  public void replaceImportErrors(List<ImportErrorRow> errors) {
    transaction(
        "save " + errors.size() + " import errors",
        c -> {
          try (PreparedStatement delete = c.prepareStatement("DELETE FROM import_error")) {
            delete.executeUpdate();
          }
          if (errors.isEmpty()) {
            return null;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO import_error (file_path, line, message, created_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            for (ImportErrorRow error : errors) {
              ps.setString(1, error.file());
              ps.setInt(2, error.line());
              ps.setString(3, error.message());
              setInstant(ps, 4, error.timestamp());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public List<ImportErrorRow> importErrors() {
    return all(
        "list import errors",
        "SELECT file_path, line, message, created_at FROM import_error" + " ORDER BY file_path",
        NO_PARAMETERS,
        rs ->
            new ImportErrorRow(
                rs.getString("file_path"),
                rs.getInt("line"),
                rs.getString("message"),
                instant(rs, "created_at")));
  }

  // Runs

  @Override
  public DagRunRow insertRun(NewRun run, Collection<TaskInstanceRow> taskInstances) {
    return transaction(
        "create run " + run.runId() + " of DAG " + run.dagId(),
        c -> insertRun(c, run, taskInstances));
  }

  static DagRunRow insertRun(Connection c, NewRun run, Collection<TaskInstanceRow> taskInstances)
      throws SQLException {
    long id;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, interval_start,"
                + " interval_end, conf, state, queued_at, version_id, backfill_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ID)) {
      ps.setString(1, run.dagId());
      ps.setString(2, run.runId());
      ps.setString(3, run.type().label());
      setInstant(ps, 4, run.logicalDate());
      setInstant(ps, 5, run.intervalStart());
      setInstant(ps, 6, run.intervalEnd());
      ps.setString(7, run.conf());
      ps.setString(8, RunState.QUEUED.label());
      setInstant(ps, 9, run.queuedAt());
      ps.setLong(10, run.versionId());
      setNullableLong(ps, 11, run.backfillId());
      ps.executeUpdate();
      id = generatedId(ps);
    } catch (SQLException e) {
      if (Jdbc.isUniqueViolation(e)) {
        throw new DuplicateRunException(run.dagId(), run.runId(), e);
      }
      throw e;
    }
    insertInstances(c, id, taskInstances);
    return new DagRunRow(
        id,
        run.dagId(),
        run.runId(),
        run.type(),
        micros(run.logicalDate()),
        micros(run.intervalStart()),
        micros(run.intervalEnd()),
        run.conf(),
        RunState.QUEUED,
        micros(run.queuedAt()),
        null,
        null,
        run.versionId(),
        run.backfillId(),
        null,
        null);
  }

  private static void insertInstances(
      Connection c, long runPk, Collection<TaskInstanceRow> instances) throws SQLException {
    if (instances.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_INSTANCE)) {
      for (TaskInstanceRow row : instances) {
        ps.setLong(1, runPk);
        ps.setString(2, row.taskId());
        ps.setString(3, row.state().label());
        ps.setInt(4, row.tryNumber());
        ps.setInt(5, row.maxTries());
        setInstant(ps, 6, row.startDate());
        setInstant(ps, 7, row.endDate());
        setInstant(ps, 8, row.nextTryAt());
        ps.setString(9, row.error());
        ps.setInt(10, row.mapIndex());
        setInstant(ps, 11, row.firstStartDate());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public Optional<DagRunRow> run(long id) {
    return one(
        "read run " + id,
        "SELECT " + RUN_COLUMNS + " FROM dag_run WHERE id = ?",
        ps -> ps.setLong(1, id),
        JdbcMetadataStore::runRow);
  }

  @Override
  public Optional<DagRunRow> run(String dagId, String runId) {
    return one(
        "read run " + runId + " of DAG " + dagId,
        "SELECT " + RUN_COLUMNS + " FROM dag_run WHERE dag_id = ? AND run_id = ?",
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, runId);
        },
        JdbcMetadataStore::runRow);
  }

  @Override
  public List<DagRunRow> runs(String dagId, RunState state, int limit) {
    return all(
        "list runs of DAG " + dagId,
        "SELECT "
            + RUN_COLUMNS
            + " FROM dag_run WHERE dag_id = ?"
            + (state == null ? "" : " AND state = ?")
            + " ORDER BY logical_date DESC LIMIT ?",
        ps -> {
          int i = 1;
          ps.setString(i++, dagId);
          if (state != null) {
            ps.setString(i++, state.label());
          }
          ps.setInt(i, limit);
        },
        JdbcMetadataStore::runRow);
  }

  @Override
  public List<DagRunRow> runsBetween(String dagId, Instant from, Instant to) {
    return all(
        "list runs of DAG " + dagId + " from " + from + " to " + to,
        "SELECT "
            + RUN_COLUMNS
            + " FROM dag_run WHERE dag_id = ? AND logical_date >= ? AND logical_date <= ?"
            + " ORDER BY logical_date",
        ps -> {
          ps.setString(1, dagId);
          setInstant(ps, 2, from);
          setInstant(ps, 3, to);
        },
        JdbcMetadataStore::runRow);
  }

  @Override
  public List<DagRunRow> runsIn(Set<RunState> states) {
    if (states.isEmpty()) {
      return List.of();
    }
    List<String> labels = states.stream().map(RunState::label).toList();
    return all(
        "list runs in states " + labels,
        "SELECT "
            + RUN_COLUMNS
            + " FROM dag_run WHERE state IN ("
            + placeholders(labels.size())
            + ") ORDER BY logical_date, id",
        ps -> setStrings(ps, 1, labels),
        JdbcMetadataStore::runRow);
  }

  @Override
  public List<DagRunRow> runs(RunQuery query) {
    return transaction("list runs " + query, c -> JdbcHistory.runs(c, query));
  }

  @Override
  public int countRuns(RunQuery query) {
    return transaction("count runs " + query, c -> JdbcHistory.countRuns(c, query));
  }

  @Override
  public Optional<Instant> latestScheduledLogicalDate(String dagId) {
    return one(
        "find the latest scheduled run of DAG " + dagId,
        "SELECT MAX(logical_date) FROM dag_run WHERE dag_id = ? AND run_type = ?",
        ps -> {
          ps.setString(1, dagId);
          ps.setString(2, RunType.SCHEDULED.label());
        },
        rs -> instant(rs, 1));
  }

  @Override
  public Optional<DagRunRow> previousRun(String dagId, Instant logicalDate) {
    return one(
        "find the run of DAG " + dagId + " before " + logicalDate,
        "SELECT "
            + RUN_COLUMNS
            + " FROM dag_run WHERE dag_id = ? AND logical_date < ?"
            + " ORDER BY logical_date DESC LIMIT 1",
        ps -> {
          ps.setString(1, dagId);
          setInstant(ps, 2, logicalDate);
        },
        JdbcMetadataStore::runRow);
  }

  static DagRunRow runRow(ResultSet rs) throws SQLException {
    return new DagRunRow(
        rs.getLong("id"),
        rs.getString("dag_id"),
        rs.getString("run_id"),
        RunType.fromLabel(rs.getString("run_type")),
        instant(rs, "logical_date"),
        instant(rs, "interval_start"),
        instant(rs, "interval_end"),
        rs.getString("conf"),
        RunState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
        instant(rs, "queued_at"),
        instant(rs, "start_date"),
        instant(rs, "end_date"),
        rs.getLong("version_id"),
        nullableLong(rs, "backfill_id"),
        instant(rs, "deadline_at"),
        instant(rs, "deadline_missed_at"));
  }

  // Task instances and tries

  @Override
  public List<TaskInstanceRow> taskInstances(long runPk) {
    return all(
        "list task instances of run " + runPk,
        "SELECT "
            + INSTANCE_COLUMNS
            + " FROM task_instance WHERE run_pk = ? ORDER BY task_id, map_index",
        ps -> ps.setLong(1, runPk),
        JdbcMetadataStore::instanceRow);
  }

  @Override
  public List<TaskInstanceRow> taskInstancesIn(Set<TaskState> states) {
    if (states.isEmpty()) {
      return List.of();
    }
    List<String> labels = states.stream().map(TaskState::label).toList();
    return all(
        "list task instances in states " + labels,
        "SELECT "
            + INSTANCE_COLUMNS
            + " FROM task_instance WHERE state IN ("
            + placeholders(labels.size())
            + ") ORDER BY run_pk, task_id, map_index",
        ps -> setStrings(ps, 1, labels),
        JdbcMetadataStore::instanceRow);
  }

  static TaskInstanceRow instanceRow(ResultSet rs) throws SQLException {
    return new TaskInstanceRow(
        rs.getLong("run_pk"),
        rs.getString("task_id"),
        taskState(rs.getString("state")),
        rs.getInt("try_number"),
        rs.getInt("max_tries"),
        instant(rs, "start_date"),
        instant(rs, "end_date"),
        instant(rs, "next_try_at"),
        rs.getString("error"),
        rs.getInt("map_index"),
        instant(rs, "first_start_date"));
  }

  @Override
  public List<TaskTryRow> tries(long runPk, String taskId) {
    return all(
        "list tries of task " + taskId + " of run " + runPk,
        "SELECT "
            + TRY_COLUMNS
            + " FROM task_try WHERE run_pk = ? AND task_id = ? ORDER BY map_index, try_number",
        ps -> {
          ps.setLong(1, runPk);
          ps.setString(2, taskId);
        },
        JdbcMetadataStore::tryRow);
  }

  @Override
  public List<TaskTryRow> triesOfRun(long runPk) {
    return transaction("list tries of run " + runPk, c -> JdbcHistory.triesOfRun(c, runPk));
  }

  @Override
  public List<TaskInstanceRow> taskInstancesOfRuns(Collection<Long> runPks) {
    if (runPks.isEmpty()) {
      return List.of();
    }
    return transaction(
        "list task instances of runs " + runPks, c -> JdbcHistory.taskInstancesOfRuns(c, runPks));
  }

  @Override
  public List<TaskHistoryRow> taskHistory(String dagId, String taskId, int runLimit) {
    checkRunLimit(runLimit, "task " + taskId + " of DAG " + dagId);
    return transaction(
        "list tries of task " + taskId + " over the latest " + runLimit + " runs of DAG " + dagId,
        c -> JdbcHistory.taskHistory(c, dagId, taskId, runLimit));
  }

  private static void checkRunLimit(int runLimit, String of) {
    if (runLimit < 0) {
      throw new IllegalArgumentException(
          "the number of runs to read the history of "
              + of
              + " must be 0 or more, not "
              + runLimit);
    }
  }

  static TaskTryRow tryRow(ResultSet rs) throws SQLException {
    return new TaskTryRow(
        rs.getLong("run_pk"),
        rs.getString("task_id"),
        rs.getInt("try_number"),
        taskState(rs.getString("state")),
        instant(rs, "start_date"),
        instant(rs, "end_date"),
        rs.getString("hostname"),
        rs.getString("scheduler_id"),
        rs.getString("error"),
        rs.getInt("map_index"));
  }

  @Override
  public void write(Batch batch) {
    if (batch.isEmpty()) {
      return;
    }
    transaction(
        "write a batch of " + batch.size() + " changes",
        c -> {
          // Instances removed and added (mapped tasks expanding), then tries, instances, XComs
          // and runs: the order the scheduler reasons in. Rendered fields last: their tries exist.
          if (!batch.removedInstances().isEmpty()) {
            try (PreparedStatement instances = c.prepareStatement(DELETE_INSTANCE);
                PreparedStatement values = c.prepareStatement(DELETE_XCOMS)) {
              for (Batch.InstanceKey key : batch.removedInstances()) {
                for (PreparedStatement ps : List.of(instances, values)) {
                  ps.setLong(1, key.runPk());
                  ps.setString(2, key.taskId());
                  ps.setInt(3, key.mapIndex());
                  ps.addBatch();
                }
              }
              instances.executeBatch();
              values.executeBatch();
            }
          }
          Map<Long, List<TaskInstanceRow>> added =
              batch.newInstances().stream()
                  .collect(
                      Collectors.groupingBy(
                          TaskInstanceRow::runPk, LinkedHashMap::new, Collectors.toList()));
          for (Map.Entry<Long, List<TaskInstanceRow>> run : added.entrySet()) {
            insertInstances(c, run.getKey(), run.getValue());
          }
          if (!batch.newTries().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_TRY)) {
              for (TaskTryRow row : batch.newTries()) {
                ps.setLong(1, row.runPk());
                ps.setString(2, row.taskId());
                ps.setInt(3, row.tryNumber());
                ps.setString(4, row.state().label());
                setInstant(ps, 5, row.startDate());
                setInstant(ps, 6, row.endDate());
                ps.setString(7, row.hostname());
                ps.setString(8, row.schedulerId());
                ps.setString(9, row.error());
                ps.setInt(10, row.mapIndex());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          if (!batch.endedTries().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(END_TRY)) {
              for (TaskTryRow row : batch.endedTries()) {
                ps.setString(1, row.state().label());
                setInstant(ps, 2, row.endDate());
                ps.setString(3, row.error());
                ps.setLong(4, row.runPk());
                ps.setString(5, row.taskId());
                ps.setInt(6, row.mapIndex());
                ps.setInt(7, row.tryNumber());
                ps.addBatch();
              }
              warnMissing(ps.executeBatch(), batch.endedTries(), "try");
            }
          }
          if (!batch.instances().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_INSTANCE)) {
              for (TaskInstanceRow row : batch.instances()) {
                ps.setString(1, row.state().label());
                ps.setInt(2, row.tryNumber());
                ps.setInt(3, row.maxTries());
                setInstant(ps, 4, row.startDate());
                setInstant(ps, 5, row.endDate());
                setInstant(ps, 6, row.nextTryAt());
                ps.setString(7, row.error());
                setInstant(ps, 8, row.firstStartDate());
                ps.setLong(9, row.runPk());
                ps.setString(10, row.taskId());
                ps.setInt(11, row.mapIndex());
                ps.addBatch();
              }
              warnMissing(ps.executeBatch(), batch.instances(), "task instance");
            }
          }
          if (!batch.xcoms().isEmpty()) {
            writeXComs(c, batch.xcoms());
          }
          if (!batch.runs().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_RUN)) {
              for (DagRunRow row : batch.runs()) {
                ps.setString(1, row.state().label());
                setInstant(ps, 2, row.startDate());
                setInstant(ps, 3, row.endDate());
                ps.setLong(4, row.id());
                ps.addBatch();
              }
              warnMissing(ps.executeBatch(), batch.runs(), "run");
            }
          }
          if (!batch.missedDeadlines().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(MISS_DEADLINE)) {
              for (Batch.MissedDeadline missed : batch.missedDeadlines()) {
                setInstant(ps, 1, missed.dueAt());
                setInstant(ps, 2, missed.missedAt());
                ps.setLong(3, missed.runPk());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          JdbcDatasets.insertEvents(c, batch.datasetEvents());
          JdbcHistory.saveRenderedFields(c, batch.renderedTries());
          // Last: an alert is written with the change it reports, never without it.
          if (!batch.alerts().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_ALERT)) {
              for (NewAlert alert : batch.alerts()) {
                ps.setLong(1, alert.runPk());
                ps.setString(2, alert.event().label());
                ps.setString(3, alert.taskId());
                ps.setInt(4, alert.mapIndex());
                ps.setInt(5, alert.tryNumber());
                ps.setString(6, alert.error());
                setInstant(ps, 7, alert.createdAt());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return null;
        });
  }

  private static void writeXComs(Connection c, Collection<Batch.XComValues> values)
      throws SQLException {
    try (PreparedStatement delete = c.prepareStatement(DELETE_XCOMS);
        PreparedStatement insert = c.prepareStatement(INSERT_XCOM)) {
      boolean inserts = false;
      for (Batch.XComValues value : values) {
        delete.setLong(1, value.instance().runPk());
        delete.setString(2, value.instance().taskId());
        delete.setInt(3, value.instance().mapIndex());
        delete.addBatch();
        for (Map.Entry<String, String> entry : value.json().entrySet()) {
          insert.setLong(1, value.instance().runPk());
          insert.setString(2, value.instance().taskId());
          insert.setInt(3, value.instance().mapIndex());
          insert.setString(4, entry.getKey());
          insert.setString(5, entry.getValue());
          setInstant(insert, 6, value.createdAt());
          insert.addBatch();
          inserts = true;
        }
      }
      delete.executeBatch();
      if (inserts) {
        insert.executeBatch();
      }
    }
  }

  @Override
  public SortedMap<Integer, String> xcomValues(
      String dagId, String runId, String taskId, String key) {
    SortedMap<Integer, String> values = new TreeMap<>();
    all(
            "read XCom " + key + " of task " + taskId + " of run " + runId + " of DAG " + dagId,
            "SELECT x.map_index, x.json_value FROM xcom x JOIN dag_run r ON r.id = x.run_pk"
                + " WHERE r.dag_id = ? AND r.run_id = ? AND x.task_id = ? AND x.xcom_key = ?",
            ps -> {
              ps.setString(1, dagId);
              ps.setString(2, runId);
              ps.setString(3, taskId);
              ps.setString(4, key);
            },
            rs -> Map.entry(rs.getInt(1), rs.getString(2)))
        .forEach(entry -> values.put(entry.getKey(), entry.getValue()));
    return values;
  }

  @Override
  public List<XComRow> xcoms(long runPk) {
    return all(
        "list XComs of run " + runPk,
        "SELECT task_id, map_index, xcom_key, json_value, created_at FROM xcom WHERE run_pk = ?"
            + " ORDER BY task_id, map_index, xcom_key",
        ps -> ps.setLong(1, runPk),
        rs ->
            new XComRow(
                runPk,
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                instant(rs, 5)));
  }

  @Override
  public List<XComHistoryRow> xcomHistory(String dagId, String taskId, String key, int runLimit) {
    checkRunLimit(runLimit, "XCom " + key + " of task " + taskId + " of DAG " + dagId);
    return transaction(
        "list XCom "
            + key
            + " of task "
            + taskId
            + " over the latest "
            + runLimit
            + " runs of DAG "
            + dagId,
        c -> JdbcHistory.xcomHistory(c, dagId, taskId, key, runLimit));
  }

  @Override
  public List<XComKey> xcomKeys(String dagId) {
    return transaction("list XCom keys of DAG " + dagId, c -> JdbcHistory.xcomKeys(c, dagId));
  }

  @Override
  public Map<String, String> renderedFields(
      long runPk, String taskId, int mapIndex, int tryNumber) {
    return transaction(
        "read the rendered fields of try "
            + tryNumber
            + " of task "
            + TaskInstanceRow.key(taskId, mapIndex)
            + " of run "
            + runPk,
        c -> JdbcHistory.renderedFields(c, runPk, taskId, mapIndex, tryNumber));
  }

  // An update that found no row means the run was deleted meanwhile; the rest still counts.
  private static void warnMissing(int[] counts, Collection<?> rows, String kind) {
    int i = 0;
    for (Object row : rows) {
      if (i < counts.length && counts[i] == 0) {
        LOG.warn("No {} to update, it was deleted; skipping it: {}", kind, row);
      }
      i++;
    }
  }

  @Override
  public void addTaskInstances(Collection<TaskInstanceRow> taskInstances) {
    if (taskInstances.isEmpty()) {
      return;
    }
    Map<Long, List<TaskInstanceRow>> byRun =
        taskInstances.stream()
            .collect(
                Collectors.groupingBy(
                    TaskInstanceRow::runPk, LinkedHashMap::new, Collectors.toList()));
    transaction(
        "add task instances to runs " + byRun.keySet(),
        c -> {
          for (Map.Entry<Long, List<TaskInstanceRow>> run : byRun.entrySet()) {
            Set<String> existing =
                new HashSet<>(
                    list(
                        c,
                        "SELECT task_id FROM task_instance WHERE run_pk = ?",
                        ps -> ps.setLong(1, run.getKey()),
                        rs -> rs.getString(1)));
            List<TaskInstanceRow> missing =
                run.getValue().stream().filter(row -> existing.add(row.taskId())).toList();
            insertInstances(c, run.getKey(), missing);
          }
          return null;
        });
  }

  // Backfills

  @Override
  public BackfillRow insertBackfill(
      String dagId,
      Instant from,
      Instant to,
      String reprocess,
      int maxActiveRuns,
      Instant createdAt) {
    return transaction(
        "create a backfill of DAG " + dagId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO backfill (dag_id, from_date, to_date, reprocess, max_active_runs,"
                      + " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                  ID)) {
            ps.setString(1, dagId);
            setInstant(ps, 2, from);
            setInstant(ps, 3, to);
            ps.setString(4, reprocess);
            ps.setInt(5, maxActiveRuns);
            setInstant(ps, 6, createdAt);
            ps.executeUpdate();
            return new BackfillRow(
                generatedId(ps),
                dagId,
                micros(from),
                micros(to),
                reprocess,
                maxActiveRuns,
                micros(createdAt));
          }
        });
  }

  @Override
  public Optional<BackfillRow> backfill(long id) {
    return one(
        "read backfill " + id,
        "SELECT id, dag_id, from_date, to_date, reprocess, max_active_runs, created_at"
            + " FROM backfill WHERE id = ?",
        ps -> ps.setLong(1, id),
        rs ->
            new BackfillRow(
                rs.getLong("id"),
                rs.getString("dag_id"),
                instant(rs, "from_date"),
                instant(rs, "to_date"),
                rs.getString("reprocess"),
                rs.getInt("max_active_runs"),
                instant(rs, "created_at")));
  }

  // Pools

  @Override
  public List<PoolRow> pools() {
    return all(
        "list pools",
        "SELECT name, slots, description FROM pool ORDER BY name",
        NO_PARAMETERS,
        rs -> new PoolRow(rs.getString("name"), rs.getInt("slots"), rs.getString("description")));
  }

  @Override
  public void savePool(PoolRow pool) {
    transaction(
        "save pool " + pool.name(),
        c -> {
          if (updatePool(c, pool)) {
            return null;
          }
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO pool (name, slots, description) VALUES (?, ?, ?)")) {
            ps.setString(1, pool.name());
            ps.setInt(2, pool.slots());
            ps.setString(3, pool.description());
            ps.executeUpdate();
          } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
              throw e;
            }
            c.rollback();
            updatePool(c, pool);
          }
          return null;
        });
  }

  private static boolean updatePool(Connection c, PoolRow pool) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE pool SET slots = ?, description = ? WHERE name = ?")) {
      ps.setInt(1, pool.slots());
      ps.setString(2, pool.description());
      ps.setString(3, pool.name());
      return ps.executeUpdate() > 0;
    }
  }

  @Override
  public boolean deletePool(String name) {
    return update(
            "delete pool " + name, "DELETE FROM pool WHERE name = ?", ps -> ps.setString(1, name))
        > 0;
  }

  // The scheduler lease

  @Override
  public List<AlertRow> pendingAlerts(int limit) {
    return transaction("read pending alerts", c -> JdbcAlerts.pending(c, limit));
  }

  @Override
  public List<AlertRow> alertsOfRun(long runPk) {
    return transaction("read the alerts of run " + runPk, c -> JdbcAlerts.ofRun(c, runPk));
  }

  @Override
  public Optional<String> alertOutcome(long alertId) {
    return transaction("read the outcome of alert " + alertId, c -> JdbcAlerts.outcome(c, alertId));
  }

  @Override
  public void alertsDelivered(Map<Long, String> outcomes, Instant at) {
    if (outcomes.isEmpty()) {
      return;
    }
    transaction(
        "mark " + outcomes.size() + " alerts delivered",
        c -> {
          JdbcAlerts.delivered(c, outcomes, micros(at));
          return null;
        });
  }

  @Override
  public Optional<Lease> lease() {
    return one(
        "read the scheduler lease",
        "SELECT " + LEASE_COLUMNS + " FROM scheduler_lease WHERE id = ?",
        ps -> ps.setInt(1, LEASE_ROW),
        rs ->
            new Lease(
                rs.getString("scheduler_id"),
                rs.getString("hostname"),
                rs.getLong("pid"),
                instant(rs, "started_at"),
                instant(rs, "heartbeat_at")));
  }

  @Override
  public boolean acquireLease(Lease lease, Optional<Lease> expected) {
    return transaction(
        "take the scheduler lease for " + lease.schedulerId(),
        c -> {
          if (expected.isPresent()) {
            // The heartbeat too: a holder that renewed since the caller looked is alive.
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE scheduler_lease SET scheduler_id = ?, hostname = ?, pid = ?,"
                        + " started_at = ?, heartbeat_at = ?"
                        + " WHERE id = ? AND scheduler_id = ? AND heartbeat_at = ?")) {
              bindLease(ps, lease);
              ps.setInt(6, LEASE_ROW);
              ps.setString(7, expected.get().schedulerId());
              setInstant(ps, 8, expected.get().heartbeatAt());
              if (ps.executeUpdate() == 1) {
                return true;
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO scheduler_lease ("
                      + LEASE_COLUMNS
                      + ", id) VALUES (?, ?, ?, ?, ?, ?)")) {
            bindLease(ps, lease);
            ps.setInt(6, LEASE_ROW);
            ps.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
              throw e;
            }
            LOG.debug("Scheduler {} did not get the lease: another holds it", lease.schedulerId());
            c.rollback();
            return false;
          }
        });
  }

  private static void bindLease(PreparedStatement ps, Lease lease) throws SQLException {
    ps.setString(1, lease.schedulerId());
    ps.setString(2, lease.hostname());
    ps.setLong(3, lease.pid());
    setInstant(ps, 4, lease.startedAt());
    setInstant(ps, 5, lease.heartbeatAt());
  }

  @Override
  public boolean renewLease(String schedulerId, Instant now) {
    return update(
            "renew the scheduler lease of " + schedulerId,
            "UPDATE scheduler_lease SET heartbeat_at = ? WHERE id = ? AND scheduler_id = ?",
            ps -> {
              setInstant(ps, 1, now);
              ps.setInt(2, LEASE_ROW);
              ps.setString(3, schedulerId);
            })
        == 1;
  }

  @Override
  public void releaseLease(String schedulerId) {
    update(
        "release the scheduler lease of " + schedulerId,
        "DELETE FROM scheduler_lease WHERE id = ? AND scheduler_id = ?",
        ps -> {
          ps.setInt(1, LEASE_ROW);
          ps.setString(2, schedulerId);
        });
  }

  // Requests to the scheduler

  @Override
  public long postCommand(String kind, String payload, Instant createdAt) {
    return transaction(
        "post a " + kind + " request",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO scheduler_command (kind, payload, created_at) VALUES (?, ?, ?)",
                  ID)) {
            ps.setString(1, kind);
            ps.setString(2, payload);
            setInstant(ps, 3, createdAt);
            ps.executeUpdate();
            return generatedId(ps);
          }
        });
  }

  @Override
  public Optional<CommandRow> command(long id) {
    return one(
        "read request " + id,
        "SELECT " + COMMAND_COLUMNS + " FROM scheduler_command WHERE id = ?",
        ps -> ps.setLong(1, id),
        JdbcMetadataStore::commandRow);
  }

  @Override
  public List<CommandRow> pendingCommands() {
    return all(
        "list pending requests",
        "SELECT " + COMMAND_COLUMNS + " FROM scheduler_command WHERE done_at IS NULL ORDER BY id",
        NO_PARAMETERS,
        JdbcMetadataStore::commandRow);
  }

  private static CommandRow commandRow(ResultSet rs) throws SQLException {
    return new CommandRow(
        rs.getLong("id"),
        rs.getString("kind"),
        rs.getString("payload"),
        instant(rs, "created_at"),
        instant(rs, "done_at"),
        rs.getString("result"),
        rs.getString("error"));
  }

  @Override
  public void completeCommand(long id, String result, String error, Instant doneAt) {
    update(
        "complete request " + id,
        "UPDATE scheduler_command SET done_at = ?, result = ?, error = ? WHERE id = ?",
        ps -> {
          setInstant(ps, 1, doneAt);
          ps.setString(2, result);
          ps.setString(3, error);
          ps.setLong(4, id);
        });
  }

  // Datasets

  @Override
  public void saveDatasetReferences(
      String dagId,
      Collection<String> consumes,
      Map<String, ? extends Collection<String>> outletsByTask,
      Instant now) {
    transaction(
        "save the datasets of DAG " + dagId,
        c -> {
          JdbcDatasets.saveReferences(c, dagId, consumes, outletsByTask, now);
          return null;
        });
  }

  @Override
  public List<DatasetRow> datasets() {
    return transaction("list datasets", JdbcDatasets::datasets);
  }

  @Override
  public List<DatasetEventRow> datasetEvents(String uri, int limit) {
    return transaction(
        "list the events of dataset " + uri, c -> JdbcDatasets.events(c, uri, limit));
  }

  @Override
  public List<DatasetEventRow> triggeringEvents(long runPk) {
    return transaction(
        "list the dataset events that triggered run " + runPk,
        c -> JdbcDatasets.triggeringEvents(c, runPk));
  }

  @Override
  public Map<String, Set<String>> datasetQueue() {
    return transaction("read the dataset queue", JdbcDatasets::queue);
  }

  @Override
  public Optional<DagRunRow> insertDatasetTriggeredRun(
      NewRun run, Collection<TaskInstanceRow> taskInstances, Collection<String> datasetUris) {
    return transaction(
        "create dataset-triggered run " + run.runId() + " of DAG " + run.dagId(),
        c -> JdbcDatasets.insertTriggeredRun(c, run, taskInstances, datasetUris));
  }

  // Retention

  @Override
  public int clean(Instant before) {
    List<String> finished =
        Arrays.stream(RunState.values()).filter(RunState::isFinished).map(RunState::label).toList();
    return transaction(
        "delete runs and requests before " + before,
        c -> {
          int runs;
          // Task instances, tries and XComs go with their runs, rendered fields with their tries
          // (ON DELETE CASCADE).
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM dag_run WHERE logical_date < ? AND state IN ("
                      + placeholders(finished.size())
                      + ")")) {
            setInstant(ps, 1, before);
            setStrings(ps, 2, finished);
            runs = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM scheduler_command WHERE done_at IS NOT NULL AND created_at < ?")) {
            setInstant(ps, 1, before);
            ps.executeUpdate();
          }
          return runs;
        });
  }

  @Override
  public void close() {
    database.close();
  }

  // JDBC plumbing

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  static final Binder NO_PARAMETERS = ps -> {};

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  // Runs work in one transaction: committed when it returns, rolled back when it throws.
  private <T> T transaction(String what, Jdbc.Work<T> work) {
    return Jdbc.transaction(dataSource, what, work);
  }

  private <T> Optional<T> one(String what, String sql, Binder binder, RowMapper<T> mapper) {
    return transaction(what, c -> first(c, sql, binder, mapper));
  }

  private <T> List<T> all(String what, String sql, Binder binder, RowMapper<T> mapper) {
    return transaction(what, c -> list(c, sql, binder, mapper));
  }

  private int update(String what, String sql, Binder binder) {
    return transaction(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
          }
        });
  }

  static <T> List<T> list(Connection c, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    }
  }

  static <T> Optional<T> first(Connection c, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
      }
    }
  }

  static long generatedId(PreparedStatement ps) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("the database returned no generated id");
      }
      return keys.getLong(1);
    }
  }

  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  static void setStrings(PreparedStatement ps, int first, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(first + i, values.get(i));
    }
  }

  // The instant as the store keeps it: PostgreSQL and H2 hold microseconds.
  static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** Writes an instant as a UTC timestamp with time zone, to the microsecond. */
  public static void setInstant(PreparedStatement ps, int index, Instant instant)
      throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      // An offset, not a local time: neither the session's nor the JVM's zone can shift it.
      ps.setObject(index, micros(instant).atOffset(ZoneOffset.UTC));
    }
  }

  /** Reads a timestamp with time zone as an instant, or null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static void setNullableLong(PreparedStatement ps, int index, Long value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  static TaskState taskState(String label) {
    return TaskState.valueOf(label.toUpperCase(Locale.ROOT));
  }
}
