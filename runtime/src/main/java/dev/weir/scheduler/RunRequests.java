package dev.weir.scheduler;

import dev.weir.model.DagSpec;
import dev.weir.run.RunContext;
import dev.weir.schedule.DataInterval;
import dev.weir.state.RunState;
import dev.weir.store.BackfillRow;
import dev.weir.store.CommandRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.Lease;
import dev.weir.store.MetadataStore;
import dev.weir.store.NewRun;
import dev.weir.store.RunType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What other processes (the command line, later the web server) ask of the scheduler: new runs go
 * straight into the store as queued runs, which the live scheduler picks up on its next tick;
 * clearing and marking go through the live scheduler, which owns the state of running runs, or are
 * done here when no scheduler runs.
 */
public final class RunRequests {
  /** How long to wait for the live scheduler to carry out a request. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final MetadataStore store;
  private final Clock clock;

  public RunRequests(MetadataStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Saves the DAG's current version (if new) and its record; returns the version id. */
  public long saveDag(DagSpec dag, String source, String gitCommit) {
    Instant now = clock.instant();
    long versionId =
        store.saveVersion(
            dag.id(), dag.source().sha256(), gitCommit, dag.source().file(), source, now);
    store.saveDag(dag.id(), dag.source().file(), versionId, dag.pausedAtCreation(), now);
    return versionId;
  }

  /**
   * Queues a manual run.
   *
   * @param logicalDate the run's logical date, or null for now
   * @param conf the run's configuration as a JSON object
   * @throws dev.weir.store.DuplicateRunException when the DAG has a run at that logical date
   */
  public DagRunRow trigger(DagSpec dag, long versionId, Instant logicalDate, String conf) {
    return trigger(dag, versionId, logicalDate, conf, null);
  }

  /**
   * Queues a manual run with a given run id (a triggerDagRun task's), or null for {@code
   * manual__<logical date>}.
   *
   * @throws dev.weir.store.DuplicateRunException when the DAG has a run with that id or date
   */
  public DagRunRow trigger(
      DagSpec dag, long versionId, Instant logicalDate, String conf, String runId) {
    dev.weir.run.Params.validate(dag, Commands.conf(conf));
    Instant now = clock.instant();
    Instant date = logicalDate == null ? now : logicalDate;
    // At a schedule point the run covers that point's interval; elsewhere (such as now) its
    // interval is the instant itself, so the logical date is always the one asked for.
    DataInterval interval = dag.timetable().intervalFor(date);
    if (!interval.start().equals(date)) {
      interval = new DataInterval(date, date);
    }
    if (runId == null) {
      runId =
          RunType.MANUAL.label() + "__" + dev.weir.run.Dates.iso(date, java.time.ZoneOffset.UTC);
    }
    return store.insertRun(
        new NewRun(
            dag.id(),
            runId,
            RunType.MANUAL,
            date,
            interval.start(),
            interval.end(),
            conf,
            now,
            versionId,
            null),
        Commands.freshInstances(dag));
  }

  /** How a backfill treats logical dates that have a run already. */
  public enum Reprocess {
    /** Leave them alone. */
    NONE,
    /** Run again those whose run failed. */
    FAILED,
    /** Run them all again. */
    ALL
  }

  /** One logical date of a backfill and what it does there. */
  public record BackfillDate(Instant logicalDate, String action) {}

  /** The logical dates of a backfill, each with "create", "rerun" or "skip (state)". */
  public List<BackfillDate> planBackfill(
      DagSpec dag, Instant from, Instant to, Reprocess reprocess) {
    Map<Instant, DagRunRow> existing = new HashMap<>();
    for (DagRunRow run : store.runsBetween(dag.id(), from, to)) {
      existing.put(run.logicalDate(), run);
    }
    List<BackfillDate> plan = new ArrayList<>();
    for (DataInterval interval : dag.timetable().between(from, to)) {
      DagRunRow run = existing.get(interval.logicalDate());
      String action;
      if (run == null) {
        action = "create";
      } else if (!run.state().isFinished()) {
        action = "skip (" + run.state().label() + ")";
      } else if (reprocess == Reprocess.ALL
          || (reprocess == Reprocess.FAILED && run.state() == RunState.FAILED)) {
        action = "rerun";
      } else {
        action = "skip (" + run.state().label() + ")";
      }
      plan.add(new BackfillDate(interval.logicalDate(), action));
    }
    return plan;
  }

  /**
   * Creates a backfill: a queued run for each date without one, and the existing runs to redo
   * cleared.
   */
  public BackfillRow backfill(
      DagSpec dag,
      long versionId,
      Instant from,
      Instant to,
      Reprocess reprocess,
      int maxActiveRuns) {
    List<BackfillDate> plan = planBackfill(dag, from, to, reprocess);
    Instant now = clock.instant();
    BackfillRow backfill =
        store.insertBackfill(
            dag.id(),
            from,
            to,
            reprocess.name().toLowerCase(java.util.Locale.ROOT),
            maxActiveRuns,
            now);
    List<String> rerun = new ArrayList<>();
    for (BackfillDate date : plan) {
      DataInterval interval = dag.timetable().intervalFor(date.logicalDate());
      if (date.action().equals("create")) {
        store.insertRun(
            new NewRun(
                dag.id(),
                RunContext.runId(RunType.BACKFILL.label(), interval),
                RunType.BACKFILL,
                interval.logicalDate(),
                interval.start(),
                interval.end(),
                "{}",
                now,
                versionId,
                backfill.id()),
            Commands.freshInstances(dag));
      } else if (date.action().equals("rerun")) {
        store
            .runsBetween(dag.id(), date.logicalDate(), date.logicalDate())
            .forEach(run -> rerun.add(run.runId()));
      }
    }
    if (!rerun.isEmpty()) {
      clear(new ClearRequest(dag.id(), rerun, null, null, null, false, false, false));
    }
    return backfill;
  }

  /**
   * Clears task instances: through the live scheduler when one runs (waiting for it to do so),
   * otherwise here.
   *
   * @throws IllegalArgumentException when the request names an unknown run or a bad pattern
   * @throws IllegalStateException when the live scheduler did not answer in time
   */
  public List<ClearedInstance> clear(ClearRequest request) {
    return carryOut(
        Commands.CLEAR,
        request,
        (commands, access) -> commands.clear(request, access),
        json -> List.of(Commands.read(json, ClearedInstance[].class)));
  }

  /**
   * Marks task instances of one run success or failed (Airflow's "Mark Success" / "Mark Failed"),
   * through the live scheduler when one runs (waiting for it to do so), otherwise here.
   *
   * <p>Each chosen instance not in that state already goes to it ({@link
   * dev.weir.state.Transitions#checkMark}); a running one has its try stopped first, and the try's
   * late end changes nothing. After a success, the failed and upstream-failed instances downstream
   * are cleared so that they run again; after a failure, the scheduler decides the downstream
   * instances by their trigger rules. A run whose instances are then all finished gets its outcome.
   *
   * @return what changed: each marked instance, and each downstream instance cleared (to none)
   * @throws IllegalArgumentException when the DAG, run or a task is unknown, the state is neither
   *     success nor failed, the map index does not exist or a named instance is removed; nothing
   *     changes then
   * @throws IllegalStateException when the live scheduler did not answer in time
   */
  public List<MarkedInstance> markTasks(MarkRequest request) {
    return carryOut(
        Commands.MARK_TASKS,
        request,
        (commands, access) -> commands.marks().markTasks(request, access),
        json -> List.of(Commands.read(json, MarkedInstance[].class)));
  }

  /**
   * Sets a run's state as a user asks, through the live scheduler when one runs, otherwise here.
   * Success: every unfinished instance becomes success. Failed: running instances become failed,
   * the other unfinished ones skipped. Running tries are stopped. Queued: every instance is cleared
   * and the run queued again, as {@link #clear} does. A run in that state already is left alone.
   *
   * @param state success, failed or queued
   * @return the run as it is now
   * @throws IllegalArgumentException when the DAG or run is unknown or the state is running
   * @throws IllegalStateException when the live scheduler did not answer in time
   */
  public DagRunRow markRun(String dagId, String runId, RunState state) {
    carryOut(
        Commands.MARK_RUN,
        new Commands.RunMark(dagId, runId, state),
        (commands, access) -> commands.marks().markRun(dagId, runId, state, access),
        json -> null);
    return store.run(dagId, runId).orElseThrow();
  }

  /**
   * Carries out a request: posts it for the live scheduler and waits for its result, or, when no
   * scheduler is live, does it here and writes its changes in one transaction.
   */
  private <T> T carryOut(
      String kind,
      Object request,
      BiFunction<Commands, Commands.RunAccess, T> here,
      Function<String, T> result) {
    Optional<Lease> live = Leases.live(store, clock.instant());
    if (live.isEmpty()) {
      Commands.LocalAccess access = new Commands.LocalAccess();
      T done = here.apply(new Commands(store, new DagVersions(store), clock), access);
      store.write(access.batch());
      return done;
    }
    long id = store.postCommand(kind, Commands.write(request), clock.instant());
    long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      CommandRow command = store.command(id).orElseThrow();
      if (command.doneAt() != null) {
        if (command.error() != null) {
          throw new IllegalArgumentException(command.error());
        }
        return result.apply(command.result());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException(
        "the scheduler (pid "
            + live.get().pid()
            + " on "
            + live.get().hostname()
            + ") did not carry out the request within "
            + REQUEST_TIMEOUT.toSeconds()
            + " s; it stays queued as request "
            + id);
  }
}
