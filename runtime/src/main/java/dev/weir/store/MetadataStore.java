package dev.weir.store;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Weir's metadata: DAGs and their versions, runs, task instances and their tries, import errors,
 * pools, the scheduler lease and requests to the scheduler. Implementations are thread-safe and
 * every method is one transaction.
 */
public interface MetadataStore extends AutoCloseable {

  // DAGs and versions

  /**
   * Saves a version of a DAG's script, or finds the saved one with the same SHA-256.
   *
   * @return the version's id
   */
  long saveVersion(
      String dagId, String sha256, String gitCommit, String file, String source, Instant createdAt);

  Optional<DagVersion> version(long id);

  /**
   * Records a parsed DAG: inserts it (paused when {@code pausedAtCreation}) or updates its file,
   * version and parse time and makes it active again. The paused flag of a known DAG is kept.
   */
  void saveDag(
      String dagId, String file, long versionId, boolean pausedAtCreation, Instant parsedAt);

  /** Marks these DAGs inactive: their files are gone or no longer define them. */
  void deactivateDags(Collection<String> dagIds);

  /** Every DAG, active or not, by id. */
  List<DagRow> dags();

  Optional<DagRow> dag(String dagId);

  /**
   * @return false when the DAG is unknown
   */
  boolean setPaused(String dagId, boolean paused);

  void setNextRunAt(String dagId, Instant nextRunAt);

  // Import errors

  /** Replaces every import error with these. */
  void replaceImportErrors(List<ImportErrorRow> errors);

  List<ImportErrorRow> importErrors();

  // Runs

  /**
   * Creates a queued run with a task instance (state none) for each task id.
   *
   * @throws DuplicateRunException when the DAG has a run with this run id or logical date
   */
  DagRunRow insertRun(NewRun run, Collection<TaskInstanceRow> taskInstances);

  Optional<DagRunRow> run(long id);

  Optional<DagRunRow> run(String dagId, String runId);

  /** Runs of a DAG, newest logical date first; {@code state} null for all. */
  List<DagRunRow> runs(String dagId, RunState state, int limit);

  /** Runs of a DAG whose logical date lies in [from, to], oldest first. */
  List<DagRunRow> runsBetween(String dagId, Instant from, Instant to);

  /** Runs of every DAG in these states, oldest logical date first. */
  List<DagRunRow> runsIn(Set<RunState> states);

  /** A page of the runs the query asks for, newest logical date first (ties: newest id first). */
  List<DagRunRow> runs(RunQuery query);

  /** How many runs the query matches in all pages (its limit and offset are ignored). */
  int countRuns(RunQuery query);

  /** The latest logical date of a scheduled run of the DAG, if any. */
  Optional<Instant> latestScheduledLogicalDate(String dagId);

  /** The run of the DAG with the greatest logical date before this one. */
  Optional<DagRunRow> previousRun(String dagId, Instant logicalDate);

  // Task instances and tries

  List<TaskInstanceRow> taskInstances(long runPk);

  /** Task instances of every run in these states. */
  List<TaskInstanceRow> taskInstancesIn(Set<TaskState> states);

  /** Every try of a task instance, first try first. */
  List<TaskTryRow> tries(long runPk, String taskId);

  /** Every try of every task instance of a run, by start (for a Gantt chart). */
  List<TaskTryRow> triesOfRun(long runPk);

  /**
   * The task instances of these runs in one read (for a grid of runs and tasks), by run key, task
   * id and map index; unknown keys are passed over.
   */
  List<TaskInstanceRow> taskInstancesOfRuns(Collection<Long> runPks);

  /**
   * The tries of a task over the DAG's latest {@code runLimit} runs (by logical date), newest run
   * first, then by map index and try number. A run where the task has no try adds nothing.
   *
   * @throws IllegalArgumentException when runLimit is negative
   */
  List<TaskHistoryRow> taskHistory(String dagId, String taskId, int runLimit);

  /**
   * The JSON of the values a task of a run pushed under a key, by map index (-1 for a task that is
   * not mapped).
   */
  java.util.SortedMap<Integer, String> xcomValues(
      String dagId, String runId, String taskId, String key);

  /** Every XCom of a run. */
  List<XComRow> xcoms(long runPk);

  /**
   * The values a task pushed under a key over the DAG's latest {@code runLimit} runs (by logical
   * date), newest run first, then by map index. A run without such a value adds nothing.
   *
   * @throws IllegalArgumentException when runLimit is negative
   */
  List<XComHistoryRow> xcomHistory(String dagId, String taskId, String key, int runLimit);

  /** The distinct tasks and keys with XCom values in the DAG's runs, by task id and key. */
  List<XComKey> xcomKeys(String dagId);

  /**
   * The template fields of a try as it rendered them (the bash command, the SQL, the URL, …), by
   * field name in the order the try rendered them, with secrets masked; empty when it recorded none
   * (a Groovy code task, a try that did not run, a try of {@code weir dags test}).
   *
   * @param mapIndex the index of a mapped task's instance, or -1
   */
  Map<String, String> renderedFields(long runPk, String taskId, int mapIndex, int tryNumber);

  /** Writes runs, task instances and tries (with their rendered fields) in one transaction. */
  void write(Batch batch);

  /**
   * Adds task instances to a run (tasks added to the DAG after the run began); existing ones are
   * left alone.
   */
  void addTaskInstances(Collection<TaskInstanceRow> taskInstances);

  // Backfills

  BackfillRow insertBackfill(
      String dagId,
      Instant from,
      Instant to,
      String reprocess,
      int maxActiveRuns,
      Instant createdAt);

  Optional<BackfillRow> backfill(long id);

  // Pools

  List<PoolRow> pools();

  /** Creates or updates a pool. */
  void savePool(PoolRow pool);

  /**
   * @return false when there was no such pool
   */
  boolean deletePool(String name);

  // The alert outbox

  /** Alerts not yet delivered, oldest first. */
  List<AlertRow> pendingAlerts(int limit);

  /** Every alert of a run, delivered or not, oldest first. */
  List<AlertRow> alertsOfRun(long runPk);

  /** What delivering an alert came to ({@code sent}, {@code failed: …}), or empty while pending. */
  Optional<String> alertOutcome(long alertId);

  /** Marks alerts delivered, each with its outcome. */
  void alertsDelivered(Map<Long, String> outcomes, Instant at);

  // The scheduler lease

  Optional<Lease> lease();

  /**
   * Takes the lease when nobody holds it or the holder is {@code expected} (a dead one the caller
   * may replace).
   *
   * @return whether the caller holds it now
   */
  boolean acquireLease(Lease lease, Optional<Lease> expected);

  /**
   * @return false when the lease is no longer this scheduler's
   */
  boolean renewLease(String schedulerId, Instant now);

  void releaseLease(String schedulerId);

  // Requests to the scheduler

  long postCommand(String kind, String payload, Instant createdAt);

  Optional<CommandRow> command(long id);

  /** Requests not yet carried out, oldest first. */
  List<CommandRow> pendingCommands();

  void completeCommand(long id, String result, String error, Instant doneAt);

  // Datasets

  /**
   * Records what a DAG's loaded version says of datasets, replacing what it said before: the
   * datasets it is scheduled on, and each task's outlets. Creates the datasets that are new.
   */
  void saveDatasetReferences(
      String dagId,
      Collection<String> consumes,
      Map<String, ? extends Collection<String>> outletsByTask,
      Instant now);

  /**
   * Every dataset, by URI, with its producers and consumers among active DAGs and a summary of its
   * events.
   */
  List<DatasetRow> datasets();

  /** The latest events of a dataset, newest first. */
  List<DatasetEventRow> datasetEvents(String uri, int limit);

  /** The events that triggered a dataset-triggered run, oldest first. */
  List<DatasetEventRow> triggeringEvents(long runPk);

  /**
   * For each DAG with updates it has not consumed yet, the URIs of the datasets updated since its
   * last dataset-triggered run.
   */
  Map<String, Set<String>> datasetQueue();

  /**
   * Creates a dataset-triggered run when each of {@code datasetUris} was updated since the DAG's
   * last dataset-triggered run, in one transaction: links those updates to the run as the events
   * that triggered it and takes every queued update of the DAG off its queue. The run's data
   * interval spans the first to the last of those events (whatever {@code run} says); its logical
   * date is {@code run}'s.
   *
   * @return the queued run, or empty when some dataset has no update yet (nothing is written)
   * @throws DuplicateRunException when the DAG has a run with this run id or logical date
   */
  Optional<DagRunRow> insertDatasetTriggeredRun(
      NewRun run, Collection<TaskInstanceRow> taskInstances, Collection<String> datasetUris);

  // Retention

  /**
   * Deletes finished runs (with their task instances, tries and rendered fields) whose logical date
   * is before {@code before}, and carried-out requests created before it.
   *
   * @return how many runs were deleted
   */
  int clean(Instant before);

  @Override
  void close();
}
