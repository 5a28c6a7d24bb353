package dev.weir.scheduler;

import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.ImportError;
import dev.weir.executor.TaskLog;
import dev.weir.metrics.SchedulerMetrics;
import dev.weir.metrics.SchedulerSnapshot;
import dev.weir.model.CallbackEvent;
import dev.weir.model.DagSpec;
import dev.weir.model.Deadline;
import dev.weir.model.TaskSpec;
import dev.weir.run.RunContext;
import dev.weir.run.TaskAttempt;
import dev.weir.run.TriggerDecision;
import dev.weir.run.TriggerRules;
import dev.weir.run.TryOutcome;
import dev.weir.schedule.DataInterval;
import dev.weir.schedule.NoSchedule;
import dev.weir.sensors.SensorRunner;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.BackfillRow;
import dev.weir.store.Batch;
import dev.weir.store.CommandRow;
import dev.weir.store.DagRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.DuplicateRunException;
import dev.weir.store.ImportErrorRow;
import dev.weir.store.MetadataStore;
import dev.weir.store.NewAlert;
import dev.weir.store.NewRun;
import dev.weir.store.PoolRow;
import dev.weir.store.RunType;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's state and its one pass. Everything here runs on one thread (the loop's, or a
 * test's): the runs being worked on live in memory, every change goes into a batch that is
 * committed before the tries it starts are handed to the executor, so a try never runs without a
 * record of it.
 *
 * <p>Work is event-driven: an ended try makes its downstream tasks be evaluated in the next pass,
 * which the executor's report wakes at once. The tick (once a second in the daemon) handles what
 * time brings: due runs, retry delays, and what other processes wrote (pause flags, pools, queued
 * runs, requests). It never rescans every task instance.
 */
public final class SchedulerCore {
  private static final Logger log = LoggerFactory.getLogger(SchedulerCore.class);

  /** The most instances a mapped task may expand to, unless configured (Airflow's default). */
  public static final int DEFAULT_MAX_MAP_LENGTH = dev.weir.run.MappedItems.DEFAULT_MAX_LENGTH;

  private final MetadataStore store;
  private final StoreXComs xcoms;
  private final DagBag bag;
  private final TaskExecutor executor;
  private final Clock clock;
  private final Path logsRoot;
  private final String schedulerId;
  private final String hostname;
  private final Supplier<Optional<String>> gitCommit;
  private final DagVersions versions;
  private final Commands commands;
  private final RunRequests requests;
  private final DatasetTriggers datasets;

  private final ConcurrentLinkedQueue<TryResult> ended = new ConcurrentLinkedQueue<>();
  private volatile Runnable wakeUp = () -> {};
  private volatile boolean dagsChanged = true;

  private final Map<Long, ActiveRun> active = new HashMap<>();
  private final Map<String, DagState> dagStates = new HashMap<>();
  private final Map<String, Integer> poolSlots = new HashMap<>();
  private final Set<String> warnedPools = new HashSet<>();
  private final Map<Long, BackfillRow> backfills = new HashMap<>();
  private List<ImportErrorRow> savedErrors = List.of();

  private final Map<TryKey, Running> running = new HashMap<>();
  private final Map<String, Integer> runningByDag = new HashMap<>();
  private final Map<String, Integer> runningByPool = new HashMap<>();
  private final PriorityQueue<Ready> ready =
      new PriorityQueue<>(
          Comparator.comparingInt(Ready::priority)
              .reversed()
              .thenComparing(Ready::logicalDate)
              .thenComparingLong(Ready::sequence));
  private final Set<Ready> readySet = new HashSet<>();
  private final PriorityQueue<DeadlineAt> deadlines =
      new PriorityQueue<>(Comparator.comparing(DeadlineAt::at));
  private final PriorityQueue<RetryAt> retries =
      new PriorityQueue<>(Comparator.comparing(RetryAt::at));
  private final Set<String> dagsToSchedule = new LinkedHashSet<>();
  private final Set<ActiveRun> touched = new LinkedHashSet<>();
  private long readySequence;
  private boolean draining;

  private Batch batch = new Batch();
  private final List<TryRequest> toSubmit = new ArrayList<>();

  /** What the scheduler knows of one DAG between passes. */
  private static final class DagState {
    DagSpec dag;
    String sha256;
    long versionId;
    boolean active = true;
    boolean paused = true;
    boolean lastScheduledLoaded;
    DataInterval lastScheduled;
    Instant nextRunAtSaved;
    // The interval after lastScheduled, kept because every tick asks for it.
    boolean followingKnown;
    DataInterval following;

    void scheduled(DataInterval interval) {
      lastScheduled = interval;
      followingKnown = false;
    }
  }

  private record Running(String dagId, String pool) {}

  /** An instance ready to start; {@code key} is its {@link TaskInstanceRow#key()}. */
  private record Ready(long runPk, String key, int priority, Instant logicalDate, long sequence) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Ready that && runPk == that.runPk && key.equals(that.key);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(runPk) * 31 + key.hashCode();
    }
  }

  /** When an up_for_retry or up_for_reschedule instance may start again. */
  private record RetryAt(Instant at, long runPk, String key) {}

  private record DeadlineAt(Instant at, long runPk) {}

  private int maxMapLength = DEFAULT_MAX_MAP_LENGTH;
  private SchedulerMetrics metrics = SchedulerMetrics.NONE;
  private Runnable alertsWritten = () -> {};
  private boolean alertsPending;

  public SchedulerCore(
      MetadataStore store,
      DagBag bag,
      TaskExecutor executor,
      Clock clock,
      Path logsRoot,
      String schedulerId,
      String hostname,
      Supplier<Optional<String>> gitCommit) {
    this.store = store;
    this.xcoms = new StoreXComs(store);
    this.bag = bag;
    this.executor = executor;
    this.clock = clock;
    this.logsRoot = logsRoot;
    this.schedulerId = schedulerId;
    this.hostname = hostname;
    this.gitCommit = gitCommit;
    this.versions = new DagVersions(store);
    this.commands = new Commands(store, versions, clock);
    this.requests = new RunRequests(store, clock);
    this.datasets = new DatasetTriggers(store, this::datasetTarget);
    executor.onEnd(this::tryEnded);
  }

  /** Sets the most instances a mapped task may expand to. */
  public void maxMapLength(int length) {
    this.maxMapLength = length;
  }

  /** Sets what the scheduler reports its work to. */
  public void metrics(SchedulerMetrics metrics) {
    this.metrics = metrics;
  }

  /** Sets what is told, after a commit, that the alert outbox has new rows. */
  public void onAlerts(Runnable alertsWritten) {
    this.alertsWritten = alertsWritten;
  }

  /** Sets what wakes the loop when a try ends or the DAG folder changed. */
  void onWork(Runnable wakeUp) {
    this.wakeUp = wakeUp;
  }

  /** Says the DAG folder was refreshed; the next pass saves what changed. */
  public void dagsChanged() {
    dagsChanged = true;
    wakeUp.run();
  }

  private void tryEnded(TryResult result) {
    ended.add(result);
    wakeUp.run();
  }

  /** Whether an ended try or a DAG change waits for a pass. */
  boolean hasEvents() {
    return !ended.isEmpty() || dagsChanged;
  }

  /** How many tries are running now. */
  public int runningCount() {
    return running.size();
  }

  /**
   * Takes over the store's unfinished work after a start: tries that were queued or running under a
   * scheduler that is gone are recorded as interrupted and retried (or failed when no tries are
   * left), and every unfinished run is loaded.
   */
  public void recover() {
    syncDags();
    refreshFlags();
    datasets.recover();
    Instant now = clock.instant();
    for (DagRunRow row : store.runsIn(EnumSet.of(RunState.QUEUED, RunState.RUNNING))) {
      ActiveRun run = load(row);
      if (run == null) {
        continue;
      }
      for (TaskInstanceRow instance : List.copyOf(run.instances().values())) {
        if (instance.state() == TaskState.QUEUED || instance.state() == TaskState.RUNNING) {
          interrupted(run, instance, now);
        }
      }
      run.markAllDirty();
      touched.add(run);
    }
    commit();
  }

  private void interrupted(ActiveRun run, TaskInstanceRow instance, Instant now) {
    String error = "interrupted: the scheduler running try " + instance.tryNumber() + " stopped";
    log.warn(
        "Task {} of run {} was {} when its scheduler stopped; {}",
        instance.key(),
        run,
        instance.state().label(),
        instance.tryNumber() < instance.maxTries() ? "retrying it" : "no tries are left");
    if (instance.tryNumber() > 0) {
      batch.endTry(
          new TaskTryRow(
              run.pk(),
              instance.taskId(),
              instance.tryNumber(),
              TaskState.FAILED,
              instance.startDate() == null ? now : instance.startDate(),
              now,
              hostname,
              schedulerId,
              error,
              instance.mapIndex()));
    }
    failTry(run, instance, now, error);
  }

  /**
   * One pass: applies ended tries, the tick's work when {@code tick}, evaluates what changed,
   * starts what may start, commits, and hands the started tries to the executor.
   */
  public void pass(boolean tick) {
    long started = System.nanoTime();
    if (dagsChanged) {
      dagsChanged = false;
      syncDags();
    }
    TryResult result;
    while ((result = ended.poll()) != null) {
      applyEnded(result, clock.instant());
    }
    // Taken after the ends, so that a try this pass starts never starts before its upstream ended.
    Instant now = clock.instant();
    if (tick) {
      tick(now);
    }
    dueRetries(now);
    dueDeadlines(now);
    settle(now);
    commit();
    queueDatasetTriggeredRuns(now);
    if (tick) {
      metrics.snapshot(snapshot(now));
    }
    metrics.passTook(Duration.ofNanos(System.nanoTime() - started));
  }

  /** Once the events are committed: runs of the DAGs whose datasets were all updated start now. */
  private void queueDatasetTriggeredRuns(Instant now) {
    List<DagRunRow> created = datasets.queueDueRuns(now);
    if (created.isEmpty()) {
      return;
    }
    for (DagRunRow row : created) {
      if (load(row) != null) {
        dagsToSchedule.add(row.dagId());
      }
    }
    settle(now);
    commit();
  }

  /** The DAG of this id when it may get a new run now: loaded, active and unpaused. */
  private Optional<DatasetTriggers.Target> datasetTarget(String dagId) {
    DagState state = dagStates.get(dagId);
    if (state == null || state.dag == null || !state.active || state.paused) {
      return Optional.empty();
    }
    return Optional.of(new DatasetTriggers.Target(state.dag, state.versionId));
  }

  private void tick(Instant now) {
    refreshFlags();
    for (CommandRow command : store.pendingCommands()) {
      commit(); // a request sees the state as committed so far
      String error = null;
      String outcome = null;
      try {
        outcome = commands.apply(command, this);
      } catch (RuntimeException e) {
        log.warn("Request {} ({}) failed: {}", command.id(), command.kind(), e.getMessage());
        error = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      commit();
      store.completeCommand(command.id(), outcome, error, clock.instant());
    }
    for (DagRunRow row : store.runsIn(EnumSet.of(RunState.QUEUED))) {
      if (!active.containsKey(row.id())) {
        ActiveRun run = load(row);
        if (run != null) {
          dagsToSchedule.add(row.dagId());
        }
      }
    }
    dagsToSchedule.addAll(dagStates.keySet());
  }

  /** Re-reads what other processes change directly: pause flags and pools. */
  private void refreshFlags() {
    for (DagRow row : store.dags()) {
      DagState state = dagStates.get(row.dagId());
      if (state != null && state.paused != row.paused()) {
        state.paused = row.paused();
        log.info("DAG {} is {}", row.dagId(), row.paused() ? "paused" : "unpaused");
        if (!row.paused()) {
          for (ActiveRun run : active.values()) {
            if (run.dag().id().equals(row.dagId())) {
              run.markAllDirty();
              touched.add(run);
            }
          }
        }
      }
    }
    poolSlots.clear();
    for (PoolRow pool : store.pools()) {
      poolSlots.put(pool.name(), pool.slots());
    }
  }

  /** Evaluates, creates runs, finishes runs, dispatches, until nothing more changes. */
  private void settle(Instant now) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String dagId : List.copyOf(dagsToSchedule)) {
        changed |= scheduleRuns(dagId, now);
      }
      dagsToSchedule.clear();
      for (ActiveRun run : List.copyOf(touched)) {
        evaluate(run, now);
      }
      for (ActiveRun run : List.copyOf(touched)) {
        if (run.state() == RunState.RUNNING && run.allFinished() && !run.hasDirty()) {
          finish(run, now);
          changed = true;
        }
      }
      touched.removeIf(run -> !run.hasDirty());
      changed |= !touched.isEmpty();
    }
    dispatch(now);
  }

  // DAGs

  private void syncDags() {
    Map<String, DagSpec> dags = bag.dags();
    String commit = null;
    boolean commitRead = false;
    List<String> loaded = new ArrayList<>();
    for (DagSpec dag : dags.values()) {
      DagState state = dagStates.computeIfAbsent(dag.id(), id -> new DagState());
      if (dag.source().sha256().equals(state.sha256) && state.active) {
        continue;
      }
      if (!commitRead) {
        commit = gitCommit.get().orElse(null);
        commitRead = true;
      }
      String source = bag.source(dag.source().file()).orElse(null);
      if (source == null) {
        continue; // the file changed again since this snapshot; the next refresh brings it
      }
      long versionId = requests.saveDag(dag, source, commit);
      versions.put(versionId, dag);
      datasets.dagLoaded(dag, clock.instant());
      boolean known = state.dag != null;
      if (!known) {
        loaded.add(dag.id());
      }
      state.dag = dag;
      state.followingKnown = false;
      state.sha256 = dag.source().sha256();
      state.versionId = versionId;
      state.active = true;
      state.nextRunAtSaved = null;
      dagsToSchedule.add(dag.id());
      log.info("DAG {} {} (version {})", dag.id(), known ? "changed" : "loaded", versionId);
    }
    datasets.index(dags.values());
    List<String> gone = new ArrayList<>();
    for (Map.Entry<String, DagState> entry : dagStates.entrySet()) {
      if (entry.getValue().active && !dags.containsKey(entry.getKey())) {
        entry.getValue().active = false;
        entry.getValue().sha256 = null;
        gone.add(entry.getKey());
      }
    }
    if (!gone.isEmpty()) {
      store.deactivateDags(gone);
      log.info("DAGs no longer defined, kept with their history: {}", gone);
    }
    List<ImportErrorRow> errors = new ArrayList<>();
    for (ImportError error : bag.importErrors()) {
      errors.add(
          new ImportErrorRow(error.file(), error.line(), error.message(), error.timestamp()));
    }
    if (!errors.equals(savedErrors)) {
      store.replaceImportErrors(errors);
      savedErrors = List.copyOf(errors);
    }
    if (!loaded.isEmpty()) {
      // Only DAGs seen for the first time take their flag here; a known DAG's flag changes in
      // refreshFlags, which also wakes its runs when it is unpaused.
      for (DagRow row : store.dags()) {
        if (loaded.contains(row.dagId())) {
          dagStates.get(row.dagId()).paused = row.paused();
        }
      }
    }
  }

  // Runs

  /**
   * Creates the DAG's due scheduled runs and starts its queued runs, within its max active runs.
   *
   * @return whether a run was created or started
   */
  private boolean scheduleRuns(String dagId, Instant now) {
    DagState state = dagStates.get(dagId);
    boolean changed = false;
    int queuedOrRunning = 0;
    int runningCount = 0;
    for (ActiveRun run : active.values()) {
      if (run.dag().id().equals(dagId)) {
        queuedOrRunning++;
        if (run.state() == RunState.RUNNING) {
          runningCount++;
        }
      }
    }
    if (state != null && state.dag != null && state.active && !state.paused) {
      DagSpec dag = state.dag;
      while (queuedOrRunning < dag.maxActiveRuns()) {
        DataInterval next = nextScheduled(state, now);
        if (next == null || next.end().isAfter(now)) {
          break;
        }
        if (createScheduledRun(state, next, now)) {
          queuedOrRunning++;
          changed = true;
        }
        state.scheduled(next);
      }
      DataInterval upcoming = nextScheduled(state, now);
      Instant nextRunAt = upcoming == null ? null : upcoming.logicalDate();
      if (!java.util.Objects.equals(nextRunAt, state.nextRunAtSaved)) {
        store.setNextRunAt(dagId, nextRunAt);
        state.nextRunAtSaved = nextRunAt;
      }
    }
    if (state == null || !state.paused) {
      changed |= startQueuedRuns(dagId, runningCount, now);
    }
    return changed;
  }

  /** The interval of the next scheduled run to create, or null when there is none. */
  private DataInterval nextScheduled(DagState state, Instant now) {
    DagSpec dag = state.dag;
    if (dag.schedule() instanceof NoSchedule) {
      return null;
    }
    if (!state.lastScheduledLoaded) {
      state.scheduled(
          store
              .latestScheduledLogicalDate(dag.id())
              .map(date -> dag.timetable().intervalFor(date))
              .orElse(null));
      state.lastScheduledLoaded = true;
    }
    if (!state.followingKnown) {
      state.following =
          (state.lastScheduled == null
                  ? dag.timetable().firstInterval()
                  : dag.timetable().nextInterval(state.lastScheduled))
              .orElse(null);
      state.followingKnown = true;
    }
    DataInterval next = state.following;
    if (next == null) {
      return null;
    }
    // An interval that completes later than the next one starts later too: none has yet.
    if (!dag.catchup() && !next.end().isAfter(now)) {
      // Without catchup only the latest completed interval runs, never the ones it skipped.
      Optional<DataInterval> latest = dag.timetable().latestCompleted(now);
      if (latest.isPresent() && latest.get().start().isAfter(next.start())) {
        return latest.get();
      }
    }
    return next;
  }

  private boolean createScheduledRun(DagState state, DataInterval interval, Instant now) {
    DagSpec dag = state.dag;
    NewRun run =
        new NewRun(
            dag.id(),
            RunContext.runId(RunType.SCHEDULED.label(), interval),
            RunType.SCHEDULED,
            interval.logicalDate(),
            interval.start(),
            interval.end(),
            "{}",
            now,
            state.versionId,
            null);
    try {
      DagRunRow row = store.insertRun(run, Commands.freshInstances(dag));
      load(row);
      log.info("Created run {} of DAG {}", row.runId(), dag.id());
      return true;
    } catch (DuplicateRunException e) {
      // A manual or backfill run holds this logical date already: it stands for the interval.
      log.info("DAG {} has a run for {} already; not scheduling it again", dag.id(), run.runId());
      return false;
    }
  }

  private boolean startQueuedRuns(String dagId, int runningCount, Instant now) {
    List<ActiveRun> queued = new ArrayList<>();
    Map<Long, Integer> runningByBackfill = new HashMap<>();
    for (ActiveRun run : active.values()) {
      if (!run.dag().id().equals(dagId)) {
        continue;
      }
      if (run.state() == RunState.QUEUED) {
        queued.add(run);
      } else if (run.row().backfillId() != null) {
        runningByBackfill.merge(run.row().backfillId(), 1, Integer::sum);
      }
    }
    if (queued.isEmpty()) {
      return false;
    }
    queued.sort(Comparator.comparing(ActiveRun::logicalDate));
    boolean started = false;
    for (ActiveRun run : queued) {
      Long backfillId = run.row().backfillId();
      if (backfillId != null) {
        // A backfill keeps to its own limit, so it neither waits for nor blocks scheduled runs.
        BackfillRow backfill =
            backfills.computeIfAbsent(backfillId, id -> store.backfill(id).orElseThrow());
        int count = runningByBackfill.getOrDefault(backfillId, 0);
        if (count >= backfill.maxActiveRuns()) {
          continue;
        }
        runningByBackfill.put(backfillId, count + 1);
      } else {
        if (runningCount >= run.dag().maxActiveRuns()) {
          continue;
        }
        runningCount++;
      }
      run.moveTo(RunState.RUNNING, now, batch);
      run.markAllDirty();
      touched.add(run);
      started = true;
    }
    return started;
  }

  /** Loads a run into memory, or fails it when its DAG version cannot be loaded. */
  private ActiveRun load(DagRunRow row) {
    ActiveRun existing = active.get(row.id());
    if (existing != null) {
      return existing;
    }
    try {
      ActiveRun run = commands.load(row);
      active.put(row.id(), run);
      watchDeadline(run);
      for (TaskInstanceRow instance : run.instances().values()) {
        if ((instance.state() == TaskState.UP_FOR_RETRY
                || instance.state() == TaskState.UP_FOR_RESCHEDULE)
            && instance.nextTryAt() != null) {
          retries.add(new RetryAt(instance.nextTryAt(), row.id(), instance.key()));
        }
      }
      return run;
    } catch (DagVersions.VersionUnavailableException e) {
      log.error("Run {} of DAG {} cannot go on: {}", row.runId(), row.dagId(), e.getMessage());
      Batch failed = new Batch();
      Instant now = clock.instant();
      for (TaskInstanceRow instance : store.taskInstances(row.id())) {
        if (!instance.state().isFinished()) {
          failed.instance(
              TaskInstances.ended(instance, TaskState.FAILED, now, null, e.getMessage()));
        }
      }
      failed.run(row.withState(RunState.FAILED, row.startDate(), now));
      store.write(failed);
      return null;
    }
  }

  /** Puts a run loaded by a request into memory (or replaces the copy there). */
  void adopt(ActiveRun run) {
    active.put(run.pk(), run);
    run.markAllDirty();
    touched.add(run);
    dagsToSchedule.add(run.dag().id());
  }

  /**
   * The DAG of a saved version, for the callbacks of its runs; safe from any thread.
   *
   * @throws DagVersions.VersionUnavailableException when the version cannot be loaded
   */
  DagSpec dagOfVersion(long versionId, String dagId) {
    return versions.get(versionId, dagId);
  }

  ActiveRun activeRun(long runPk) {
    return active.get(runPk);
  }

  Batch batch() {
    return batch;
  }

  /** Stops a running try because a user cleared or marked it. */
  void cancel(TryKey key) {
    if (running.containsKey(key)) {
      executor.cancel(key);
    }
  }

  /** Drops a run that a user's request finished; the DAG's next run may start. */
  void release(ActiveRun run) {
    active.remove(run.pk());
    touched.remove(run);
    dagsToSchedule.add(run.dag().id());
  }

  /** A user marked an instance: later runs' {@code dependsOnPast} instances may go on. */
  void marked(ActiveRun run, TaskInstanceRow instance) {
    afterFinished(run, run.dag().tasks().get(instance.taskId()), instance);
  }

  private void finish(ActiveRun run, Instant now) {
    RunState outcome = run.outcome();
    checkDeadline(run, now); // a run that ends after its deadline missed it, checked or not
    run.moveTo(outcome, now, batch);
    release(run);
    log.info("Run {} {}", run, outcome.label());
    alert(
        run,
        outcome == RunState.SUCCESS ? CallbackEvent.RUN_SUCCESS : CallbackEvent.RUN_FAILURE,
        now);
    Instant started = run.row().startDate();
    metrics.runEnded(
        run.dag().id(), outcome, started == null ? Duration.ZERO : Duration.between(started, now));
  }

  // Deadlines

  /** Watches a run's deadline when its DAG sets one and the run has not missed it yet. */
  private void watchDeadline(ActiveRun run) {
    Optional<Deadline> deadline = run.dag().deadline();
    DagRunRow row = run.row();
    if (deadline.isPresent() && !row.missedDeadline()) {
      Instant due = deadline.get().dueAt(row.logicalDate(), row.intervalEnd(), row.queuedAt());
      deadlines.add(new DeadlineAt(due, row.id()));
    }
  }

  private void dueDeadlines(Instant now) {
    while (!deadlines.isEmpty() && !deadlines.peek().at().isAfter(now)) {
      DeadlineAt due = deadlines.poll();
      ActiveRun run = active.get(due.runPk());
      if (run != null) { // else it finished in time
        missed(run, due.at(), now);
      }
    }
  }

  /** A run that ends after its deadline missed it, whether or not a pass saw the time come. */
  private void checkDeadline(ActiveRun run, Instant now) {
    Iterator<DeadlineAt> watched = deadlines.iterator();
    while (watched.hasNext()) {
      DeadlineAt deadline = watched.next();
      if (deadline.runPk() == run.pk() && !now.isBefore(deadline.at())) {
        watched.remove();
        missed(run, deadline.at(), now);
        return;
      }
    }
  }

  private void missed(ActiveRun run, Instant due, Instant now) {
    batch.deadlineMissed(run.pk(), due, now);
    log.warn("Run {} missed its deadline {}: it is still {}", run, due, run.state().label());
    metrics.deadlineMissed(run.dag().id());
    if (!run.dag().deadline().orElseThrow().onMiss().isEmpty()) {
      batch.alert(NewAlert.ofRun(run.pk(), CallbackEvent.DEADLINE_MISSED, null, now));
      alertsPending = true;
    }
  }

  // Alerts

  /** Puts a run event in the outbox, with the change it reports, when the DAG has callbacks. */
  private void alert(ActiveRun run, CallbackEvent event, Instant now) {
    if (!run.dag().runCallbacks().on(event).isEmpty()) {
      batch.alert(NewAlert.ofRun(run.pk(), event, null, now));
      alertsPending = true;
    }
  }

  /** Puts a task event in the outbox when the task has callbacks for it. */
  private void alert(
      ActiveRun run, TaskInstanceRow instance, CallbackEvent event, String error, Instant now) {
    TaskSpec task = run.dag().tasks().get(instance.taskId());
    if (task != null && !task.callbacks().on(event).isEmpty()) {
      batch.alert(
          new NewAlert(
              run.pk(),
              event,
              instance.taskId(),
              instance.mapIndex(),
              instance.tryNumber(),
              error,
              now));
      alertsPending = true;
    }
  }

  /** The unfinished work held in memory, for metrics. */
  private SchedulerSnapshot snapshot(Instant now) {
    Map<RunState, Integer> runs = new EnumMap<>(RunState.class);
    Map<TaskState, Integer> instances = new EnumMap<>(TaskState.class);
    for (ActiveRun run : active.values()) {
      runs.merge(run.state(), 1, Integer::sum);
      for (TaskInstanceRow instance : run.instances().values()) {
        if (!instance.state().isFinished()) {
          instances.merge(instance.state(), 1, Integer::sum);
        }
      }
    }
    Map<String, SchedulerSnapshot.PoolUsage> pools = new HashMap<>();
    poolSlots.forEach(
        (pool, slots) ->
            pools.put(
                pool, new SchedulerSnapshot.PoolUsage(slots, runningByPool.getOrDefault(pool, 0))));
    return new SchedulerSnapshot(runs, instances, ready.size(), running.size(), pools, now);
  }

  // Task instances

  private void evaluate(ActiveRun run, Instant now) {
    if (run.state() != RunState.RUNNING) {
      run.takeDirty();
      return;
    }
    DagState dagState = dagStates.get(run.dag().id());
    boolean paused = dagState != null && dagState.paused;
    for (String key : run.takeDirty()) {
      TaskInstanceRow instance = run.instance(key);
      TaskSpec task = instance == null ? null : run.dag().tasks().get(instance.taskId());
      if (task == null) {
        continue;
      }
      switch (instance.state()) {
        case NONE -> decide(run, task, instance, now, paused);
        case UP_FOR_RETRY, UP_FOR_RESCHEDULE -> {
          if (!paused && instance.nextTryAt() != null && !instance.nextTryAt().isAfter(now)) {
            schedule(run, task, instance);
          }
        }
        case SCHEDULED -> addReady(run, task, instance);
        default -> {}
      }
    }
  }

  private void decide(
      ActiveRun run, TaskSpec task, TaskInstanceRow instance, Instant now, boolean paused) {
    List<TaskState> upstream = new ArrayList<>();
    for (String id : run.dag().upstream(task.id())) {
      List<TaskInstanceRow> ups = run.instancesOf(id);
      if (ups.isEmpty()) {
        upstream.add(TaskState.REMOVED);
      }
      for (TaskInstanceRow up : ups) {
        upstream.add(up.state());
      }
    }
    TriggerDecision decision =
        TriggerRules.decide(task.triggerRule(), TriggerRules.Upstream.of(upstream));
    switch (decision) {
      case WAIT -> {}
      case SKIP -> decideWithoutRun(run, task, instance, TaskState.SKIPPED, now, null);
      case UPSTREAM_FAILED ->
          decideWithoutRun(run, task, instance, TaskState.UPSTREAM_FAILED, now, null);
      case RUN -> {
        if (paused) {
          break;
        }
        if (task.isMapped() && instance.mapIndex() < 0) {
          expand(run, task, instance, now);
        } else if (pastAllows(run, task, instance)) {
          schedule(run, task, instance);
        }
      }
    }
  }

  private void decideWithoutRun(
      ActiveRun run,
      TaskSpec task,
      TaskInstanceRow instance,
      TaskState state,
      Instant now,
      String error) {
    run.update(TaskInstances.decided(instance, state, now, error), batch);
    run.markDownstreamDirty(task.id());
    afterFinished(run, task, instance);
    if (state == TaskState.FAILED) {
      alert(run, instance, CallbackEvent.TASK_FAILURE, error, now);
    }
  }

  /**
   * Expands a mapped task whose upstream allows it to run: one instance per item of its list. An
   * empty list skips it; a list that cannot be read or is too long fails it, saying why.
   */
  private void expand(ActiveRun run, TaskSpec task, TaskInstanceRow placeholder, Instant now) {
    if (!batch.xcoms().isEmpty()) {
      commit(); // the upstream's list may have ended in this very pass
    }
    int count;
    try {
      // Read as the instances will read it: through XCom, from the store.
      count =
          dev.weir.run.MappedItems.list(
                  task.id(),
                  task.expand(),
                  new dev.weir.run.TaskXCom(
                      run.context(),
                      task.id(),
                      xcoms,
                      dev.weir.run.TaskRunner.DEFAULT_XCOM_MAX_BYTES))
              .size();
      dev.weir.run.MappedItems.checkLength(task.id(), count, maxMapLength);
    } catch (IllegalArgumentException e) {
      log.warn("Mapped task {} of run {} cannot expand: {}", task.id(), run, e.getMessage());
      decideWithoutRun(run, task, placeholder, TaskState.FAILED, now, e.getMessage());
      return;
    }
    if (count == 0) {
      decideWithoutRun(run, task, placeholder, TaskState.SKIPPED, now, null);
      return;
    }
    for (TaskInstanceRow instance : run.expand(placeholder, count, batch)) {
      if (pastAllows(run, task, instance)) {
        schedule(run, task, instance);
      }
    }
  }

  /**
   * For {@code dependsOnPast}: the same instance in the previous run succeeded or was skipped (or
   * did not exist).
   */
  private boolean pastAllows(ActiveRun run, TaskSpec task, TaskInstanceRow current) {
    if (!task.dependsOnPast()) {
      return true;
    }
    Optional<DagRunRow> previous = store.previousRun(run.dag().id(), run.logicalDate());
    if (previous.isEmpty()) {
      return true;
    }
    ActiveRun previousActive = active.get(previous.get().id());
    TaskState state;
    if (previousActive != null) {
      TaskInstanceRow instance = previousActive.instance(current.key());
      state = instance == null ? TaskState.SUCCESS : instance.state();
    } else {
      state =
          store.taskInstances(previous.get().id()).stream()
              .filter(instance -> instance.key().equals(current.key()))
              .map(TaskInstanceRow::state)
              .findFirst()
              .orElse(TaskState.SUCCESS);
    }
    return state == TaskState.SUCCESS || state == TaskState.SKIPPED;
  }

  /** Lets later runs' {@code dependsOnPast} instances of the task look again. */
  private void afterFinished(ActiveRun run, TaskSpec task, TaskInstanceRow instance) {
    if (task == null || !task.dependsOnPast()) {
      return;
    }
    for (ActiveRun other : active.values()) {
      if (other.dag().id().equals(run.dag().id())
          && other.logicalDate().isAfter(run.logicalDate())) {
        other.markDirty(instance.key());
        touched.add(other);
      }
    }
  }

  private void schedule(ActiveRun run, TaskSpec task, TaskInstanceRow instance) {
    run.update(TaskInstances.withState(instance, TaskState.SCHEDULED), batch);
    addReady(run, task, instance);
  }

  private void addReady(ActiveRun run, TaskSpec task, TaskInstanceRow instance) {
    Ready item =
        new Ready(
            run.pk(), instance.key(), task.priorityWeight(), run.logicalDate(), readySequence++);
    if (readySet.add(item)) {
      ready.add(item);
    }
  }

  private void dueRetries(Instant now) {
    while (!retries.isEmpty() && !retries.peek().at().isAfter(now)) {
      RetryAt due = retries.poll();
      ActiveRun run = active.get(due.runPk());
      if (run != null) {
        run.markDirty(due.key());
        touched.add(run);
      }
    }
  }

  /** Starts ready instances while slots are free, highest priority first. */
  private void dispatch(Instant now) {
    if (draining) {
      return;
    }
    List<Ready> blocked = new ArrayList<>();
    while (running.size() < executor.slots() && !ready.isEmpty()) {
      Ready item = ready.poll();
      readySet.remove(item);
      ActiveRun run = active.get(item.runPk());
      TaskInstanceRow instance = run == null ? null : run.instance(item.key());
      if (instance == null || instance.state() != TaskState.SCHEDULED) {
        continue; // cleared or finished meanwhile
      }
      TaskSpec task = run.dag().tasks().get(instance.taskId());
      String pool = task.pool() == null ? PoolRow.DEFAULT : task.pool();
      if (!mayStart(run.dag(), pool)) {
        blocked.add(item);
        continue;
      }
      start(run, task, instance, pool, now);
    }
    for (Ready item : blocked) {
      readySet.add(item);
      ready.add(item);
    }
  }

  private boolean mayStart(DagSpec dag, String pool) {
    if (runningByDag.getOrDefault(dag.id(), 0) >= dag.maxActiveTasks()) {
      return false;
    }
    Integer slots = poolSlots.get(pool);
    if (slots == null) {
      if (warnedPools.add(pool)) {
        log.warn("Pool {} does not exist; its tasks wait until it is created", pool);
      }
      return false;
    }
    return runningByPool.getOrDefault(pool, 0) < slots;
  }

  private void start(
      ActiveRun run, TaskSpec task, TaskInstanceRow instance, String pool, Instant now) {
    // Queued lasts no longer than this call (the try is handed over right after the commit), so
    // the transition is checked but only running is written.
    run.update(TaskInstances.withState(instance, TaskState.QUEUED), new Batch());
    TaskInstanceRow started =
        run.update(TaskInstances.started(run.instance(instance.key()), now), batch);
    batch.startTry(
        new TaskTryRow(
            run.pk(),
            task.id(),
            started.tryNumber(),
            TaskState.RUNNING,
            now,
            null,
            hostname,
            schedulerId,
            null,
            started.mapIndex()));
    if (started.tryNumber() > 1) {
      // A new try starts with no XComs; a first try has none to remove.
      batch.xcoms(run.pk(), task.id(), started.mapIndex(), Map.of(), now);
    }
    TryKey key = new TryKey(run.pk(), started.key(), started.tryNumber());
    running.put(key, new Running(run.dag().id(), pool));
    runningByDag.merge(run.dag().id(), 1, Integer::sum);
    runningByPool.merge(pool, 1, Integer::sum);
    Path logFile =
        TaskLog.path(
            logsRoot,
            run.dag().id(),
            run.row().runId(),
            task.id(),
            started.mapIndex(),
            started.tryNumber());
    Instant firstStart = started.firstStartDate();
    toSubmit.add(
        new TryRequest(
            run.pk(),
            new TaskAttempt(
                task,
                run.context(),
                started.mapIndex(),
                started.tryNumber(),
                now.equals(firstStart) ? null : firstStart),
            logFile));
  }

  private void applyEnded(TryResult result, Instant now) {
    TryKey key = result.key();
    Running slot = running.remove(key);
    if (slot != null) {
      runningByDag.merge(slot.dagId(), -1, Integer::sum);
      runningByPool.merge(slot.pool(), -1, Integer::sum);
    }
    ActiveRun run = active.get(key.runPk());
    TaskInstanceRow instance = run == null ? null : run.instance(key.instanceKey());
    if (instance == null
        || instance.state() != TaskState.RUNNING
        || instance.tryNumber() != key.tryNumber()) {
      log.debug("Ignoring the end of try {}: its instance was cleared meanwhile", key);
      return;
    }
    TryOutcome outcome = result.outcome();
    metrics.tryEnded(
        run.dag().id(),
        instance.taskId(),
        outcome.state(),
        instance.startDate() == null ? Duration.ZERO : Duration.between(instance.startDate(), now));
    TaskTryRow ended =
        new TaskTryRow(
            key.runPk(),
            instance.taskId(),
            key.tryNumber(),
            outcome.state(),
            instance.startDate(),
            now,
            hostname,
            schedulerId,
            outcome.error(),
            instance.mapIndex());
    batch.endTry(ended).renderedFields(ended, result.rendered());
    if (outcome.state() == TaskState.FAILED) {
      failTry(run, instance, now, outcome.error());
    } else if (outcome.state() == TaskState.UP_FOR_RESCHEDULE) {
      Instant at = outcome.rescheduleAt() == null ? now : outcome.rescheduleAt();
      run.update(TaskInstances.rescheduled(instance, now, at), batch);
      retries.add(new RetryAt(at, run.pk(), instance.key()));
    } else {
      if (!outcome.xcoms().isEmpty()) {
        batch.xcoms(
            run.pk(),
            instance.taskId(),
            instance.mapIndex(),
            XComJson.encode(instance.taskId(), outcome.xcoms()),
            now);
      }
      skipChosen(run, outcome.skip(), now);
      run.update(TaskInstances.ended(instance, outcome.state(), now, null, null), batch);
      alert(
          run,
          instance,
          outcome.state() == TaskState.SKIPPED
              ? CallbackEvent.TASK_SKIPPED
              : CallbackEvent.TASK_SUCCESS,
          null,
          now);
      datasets.tryEnded(run, instance.taskId(), outcome.state(), now, batch);
      run.markDownstreamDirty(instance.taskId());
      afterFinished(run, run.dag().tasks().get(instance.taskId()), instance);
    }
    touched.add(run);
  }

  /** Skips the tasks a branch did not follow, or everything after a short circuit. */
  private void skipChosen(ActiveRun run, Set<String> taskIds, Instant now) {
    for (String taskId : taskIds) {
      TaskSpec task = run.dag().tasks().get(taskId);
      for (TaskInstanceRow instance : run.instancesOf(taskId)) {
        if (instance.state() == TaskState.NONE) {
          decideWithoutRun(run, task, instance, TaskState.SKIPPED, now, null);
        }
      }
    }
  }

  /** A try failed: retry after the task's delay when tries are left, else fail the instance. */
  private void failTry(ActiveRun run, TaskInstanceRow instance, Instant now, String error) {
    TaskSpec task = run.dag().tasks().get(instance.taskId());
    // A sensor past its timeout (counted over every try) is not retried: it would time out again.
    if (instance.tryNumber() < instance.maxTries()
        && task != null
        && !SensorRunner.timedOutForGood(task, instance.firstStartDate(), now)) {
      Instant at = now.plus(task.delayBeforeTry(instance.tryNumber() + 1));
      run.update(TaskInstances.ended(instance, TaskState.UP_FOR_RETRY, now, at, error), batch);
      retries.add(new RetryAt(at, run.pk(), instance.key()));
      alert(run, instance, CallbackEvent.TASK_RETRY, error, now);
    } else {
      run.update(TaskInstances.ended(instance, TaskState.FAILED, now, null, error), batch);
      alert(run, instance, CallbackEvent.TASK_FAILURE, error, now);
      run.markDownstreamDirty(instance.taskId());
      afterFinished(run, task, instance);
    }
    touched.add(run);
  }

  private void commit() {
    if (!batch.isEmpty()) {
      store.write(batch);
      batch = new Batch();
    }
    if (alertsPending) {
      alertsPending = false;
      alertsWritten.run();
    }
    if (!toSubmit.isEmpty()) {
      List<TryRequest> requests = List.copyOf(toSubmit);
      toSubmit.clear();
      for (TryRequest request : requests) {
        executor.submit(request);
      }
    }
  }

  /** When the next timed work is due: the earliest retry, or null. */
  Instant nextDue() {
    Instant retry = retries.isEmpty() ? null : retries.peek().at();
    Instant deadline = deadlines.isEmpty() ? null : deadlines.peek().at();
    if (retry == null || (deadline != null && deadline.isBefore(retry))) {
      return deadline;
    }
    return retry;
  }

  /** Starts nothing more; running tries go on. */
  void stopStarting() {
    draining = true;
  }

  Collection<ActiveRun> activeRuns() {
    return active.values();
  }

  String schedulerId() {
    return schedulerId;
  }

  String hostname() {
    return hostname;
  }
}
