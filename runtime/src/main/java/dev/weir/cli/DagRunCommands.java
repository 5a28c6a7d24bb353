package dev.weir.cli;

import dev.weir.dagbag.DagBag;
import dev.weir.model.DagSpec;
import dev.weir.run.Dates;
import dev.weir.scheduler.RunRequests;
import dev.weir.scheduler.RunRequests.BackfillDate;
import dev.weir.scheduler.RunRequests.Reprocess;
import dev.weir.state.RunState;
import dev.weir.store.BackfillRow;
import dev.weir.store.DagRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.DuplicateRunException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code dags} commands that work on the metadata store: runs, backfills, pausing. */
final class DagRunCommands {
  private DagRunCommands() {}

  @Command(
      name = "trigger",
      description = {
        "Queue a manual run of a DAG and print its run id.",
        "Saves the DAG's current script as the version the run executes. The scheduler starts the"
            + " run once the DAG is unpaused."
      })
  static final class Trigger implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DAG_ID", description = "The DAG to run.")
    String dagId;

    @Option(
        names = "--conf",
        paramLabel = "JSON",
        description = "The run's configuration as a JSON object, such as '{\"limit\": 10}'.")
    String conf;

    @Option(
        names = "--logical-date",
        paramLabel = "DATE",
        description =
            "The run's logical date: 2025-01-31 or 2025-01-31T06:00 in the DAG's time zone, or"
                + " 2025-01-31T06:00:00Z (default: now).")
    String logicalDate;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      String runConf = Output.compact(TestRunSupport.parseConf(conf));
      try (DagBag bag = folder.load();
          WeirHome home = WeirHome.open(spec)) {
        DagSpec dag = DagsFolderOptions.find(bag, dagId);
        Instant date = logicalDate == null ? null : LogicalDates.parse(logicalDate, dag.timezone());
        TestRunSupport.checkParams(dag, TestRunSupport.parseConf(conf));
        long versionId = home.saveDag(bag, dag, clock);
        DagRunRow run;
        try {
          run = home.requests(clock).trigger(dag, versionId, date, runConf);
        } catch (DuplicateRunException e) {
          throw new CliException(
              CliException.FAILED,
              "dag '"
                  + dagId
                  + "' has a run at logical date "
                  + (date == null ? "now" : Dates.iso(date, dag.timezone()))
                  + " already"
                  + (date == null
                      ? ""
                      : home.store().runsBetween(dagId, date, date).stream()
                          .findFirst()
                          .map(existing -> " (" + existing.runId() + ")")
                          .orElse(""))
                  + "; give another --logical-date");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
          Output.json(out, Rows.json(run));
        } else {
          out.println(run.runId());
          out.flush();
        }
        notePaused(spec, home.dag(dagId));
      }
      return 0;
    }
  }

  /** Says on standard error that the runs just created wait for the DAG to be unpaused. */
  static void notePaused(CommandSpec spec, DagRow dag) {
    if (dag.paused()) {
      spec.commandLine()
          .getErr()
          .println(
              "weir: note: dag '"
                  + dag.dagId()
                  + "' is paused; its runs start once it is unpaused (weir dags unpause "
                  + dag.dagId()
                  + ")");
      spec.commandLine().getErr().flush();
    }
  }

  /** What {@code pause} and {@code unpause} share. */
  abstract static class SetPaused implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    Clock clock = Clock.systemUTC();

    abstract boolean paused();

    @Override
    public Integer call() {
      try (WeirHome home = WeirHome.open(spec)) {
        if (!home.store().setPaused(dagId, paused())) {
          // Not in the store yet: record it from the folder, then set the flag.
          try (DagBag bag = folder.load()) {
            home.saveDag(bag, DagsFolderOptions.find(bag, dagId), clock);
          }
          home.store().setPaused(dagId, paused());
        }
      }
      spec.commandLine()
          .getOut()
          .println("dag '" + dagId + "' is " + (paused() ? "paused" : "unpaused"));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "pause",
      description = {
        "Pause a DAG: the scheduler creates no runs for it and starts no tasks of its runs.",
        "Running tasks finish."
      })
  static final class Pause extends SetPaused {
    @Override
    boolean paused() {
      return true;
    }
  }

  @Command(name = "unpause", description = "Unpause a DAG: the scheduler runs it again.")
  static final class Unpause extends SetPaused {
    @Override
    boolean paused() {
      return false;
    }
  }

  @Command(
      name = "backfill",
      description = {
        "Run a DAG for each of its schedule points between two logical dates.",
        "Creates a queued backfill run for each date without a run; with --reprocess, clears the"
            + " finished runs it should redo. Dates with a run that is still queued or running are"
            + " skipped."
      })
  static final class Backfill implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "DATE",
        description = "The first logical date, in the DAG's time zone unless it has an offset.")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "DATE",
        description = "The last logical date (included).")
    String to;

    @Option(
        names = "--dry-run",
        description = "Print the dates and what it would do; change nothing.")
    boolean dryRun;

    @Option(
        names = "--reprocess",
        paramLabel = "WHICH",
        defaultValue = "none",
        description =
            "Dates with a finished run: none (skip them), failed (run the failed ones again) or"
                + " all (run them all again) (default: ${DEFAULT-VALUE}).")
    String reprocess;

    @Option(
        names = "--max-active-runs",
        paramLabel = "N",
        description = "How many runs of the backfill may run at once (default: the DAG's).")
    Integer maxActiveRuns;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      Reprocess which = reprocess(reprocess);
      if (maxActiveRuns != null && maxActiveRuns < 1) {
        throw new CliException(
            CliException.USAGE, "--max-active-runs takes 1 or more, got " + maxActiveRuns);
      }
      try (DagBag bag = folder.load();
          WeirHome home = WeirHome.open(spec)) {
        DagSpec dag = DagsFolderOptions.find(bag, dagId);
        Instant start = LogicalDates.parse(from, dag.timezone());
        Instant end = LogicalDates.parse(to, dag.timezone());
        if (start.isAfter(end)) {
          throw new CliException(
              CliException.USAGE, "--from " + from + " is after --to " + to + "; swap them");
        }
        int limit = maxActiveRuns == null ? dag.maxActiveRuns() : maxActiveRuns;
        RunRequests requests = home.requests(clock);
        List<BackfillDate> plan = requests.planBackfill(dag, start, end, which);
        if (plan.isEmpty()) {
          throw new CliException(
              CliException.USAGE,
              "dag '"
                  + dagId
                  + "' has no schedule points from "
                  + Dates.iso(start, dag.timezone())
                  + " to "
                  + Dates.iso(end, dag.timezone())
                  + " (schedule "
                  + dag.schedule().describe()
                  + ")");
        }
        BackfillRow backfill = null;
        if (!dryRun) {
          long versionId = home.saveDag(bag, dag, clock);
          backfill = requests.backfill(dag, versionId, start, end, which, limit);
        }
        print(dag, plan, which, limit, backfill);
        if (!dryRun) {
          notePaused(spec, home.dag(dagId));
        }
      }
      return 0;
    }

    private void print(
        DagSpec dag, List<BackfillDate> plan, Reprocess which, int limit, BackfillRow backfill) {
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dagId", dag.id());
        json.put("backfillId", backfill == null ? null : backfill.id());
        json.put("dryRun", dryRun);
        json.put("reprocess", which.name().toLowerCase(Locale.ROOT));
        json.put("maxActiveRuns", limit);
        json.put(
            "dates",
            plan.stream()
                .map(
                    date -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("logicalDate", Dates.iso(date.logicalDate(), dag.timezone()));
                      row.put("action", date.action());
                      return row;
                    })
                .toList());
        Output.json(out, json);
        return;
      }
      Output.table(
          out,
          List.of("LOGICAL_DATE", "ACTION"),
          plan.stream()
              .map(date -> List.of(Dates.iso(date.logicalDate(), dag.timezone()), date.action()))
              .toList());
      long created = plan.stream().filter(d -> d.action().equals("create")).count();
      long rerun = plan.stream().filter(d -> d.action().equals("rerun")).count();
      long skipped = plan.size() - created - rerun;
      out.println();
      out.println(
          backfill == null
              ? "Dry run: "
                  + created
                  + " to create, "
                  + rerun
                  + " to run again, "
                  + skipped
                  + " skipped; nothing was changed."
              : "Backfill "
                  + backfill.id()
                  + " of "
                  + dag.id()
                  + ": "
                  + created
                  + " run(s) created, "
                  + rerun
                  + " cleared to run again, "
                  + skipped
                  + " skipped; at most "
                  + limit
                  + " run(s) at once.");
      out.flush();
    }

    static Reprocess reprocess(String text) {
      for (Reprocess value : Reprocess.values()) {
        if (value.name().equalsIgnoreCase(text)) {
          return value;
        }
      }
      throw new CliException(
          CliException.USAGE, "--reprocess takes none, failed or all, got '" + text + "'");
    }
  }

  @Command(name = "list-runs", description = "List a DAG's runs, newest logical date first.")
  static final class ListRuns implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "Only runs in this state: queued, running, success or failed.")
    String state;

    @Option(
        names = {"-n", "--limit"},
        paramLabel = "N",
        defaultValue = "100",
        description = "At most this many runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      RunState only = state == null ? null : runState(state);
      if (limit < 1) {
        throw new CliException(CliException.USAGE, "--limit takes 1 or more, got " + limit);
      }
      try (WeirHome home = WeirHome.open(spec)) {
        home.dag(dagId);
        List<DagRunRow> runs = home.store().runs(dagId, only, limit);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
          Output.json(out, runs.stream().map(Rows::json).toList());
        } else {
          Output.table(out, Rows.RUN_HEADER, runs.stream().map(Rows::row).toList());
        }
      }
      return 0;
    }

    static RunState runState(String text) {
      for (RunState value : RunState.values()) {
        if (value.label().equalsIgnoreCase(text)) {
          return value;
        }
      }
      throw new CliException(
          CliException.USAGE,
          "unknown run state '"
              + text
              + "'; use "
              + String.join(", ", Arrays.stream(RunState.values()).map(RunState::label).toList()));
    }
  }

  @Command(
      name = "set-run-state",
      description = {
        "Set a DAG run's state: success, failed or queued.",
        "Success makes its unfinished task instances success; failed makes its running ones"
            + " failed and the other unfinished ones skipped; running tries are stopped. Queued"
            + " clears all its task instances so that it runs again. When a scheduler runs, it"
            + " carries the request out."
      })
  static final class SetRunState implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run.")
    String runId;

    @Option(
        names = "--state",
        required = true,
        paramLabel = "STATE",
        description = "success, failed or queued.")
    String state;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      RunState target = runState(state);
      try (WeirHome home = WeirHome.open(spec)) {
        RunState before = home.run(dagId, runId).state();
        DagRunRow run;
        try {
          run = home.requests(clock).markRun(dagId, runId, target);
        } catch (IllegalArgumentException e) {
          throw new CliException(CliException.USAGE, e.getMessage());
        } catch (IllegalStateException e) {
          throw new CliException(CliException.FAILED, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
          Output.json(out, Rows.json(run));
        } else {
          out.println(
              "run '"
                  + runId
                  + "' of dag '"
                  + dagId
                  + "' is "
                  + run.state().label()
                  + (before == run.state() ? " (unchanged)" : " (was " + before.label() + ")"));
          out.flush();
        }
      }
      return 0;
    }

    static RunState runState(String text) {
      for (RunState value : List.of(RunState.SUCCESS, RunState.FAILED, RunState.QUEUED)) {
        if (value.label().equalsIgnoreCase(text)) {
          return value;
        }
      }
      throw new CliException(
          CliException.USAGE, "--state takes success, failed or queued, got '" + text + "'");
    }
  }

  @Command(
      name = "state",
      description = {
        "Print the state of a DAG run: queued, running, success or failed.",
        "With -o json, the whole run."
      })
  static final class State implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run.")
    String runId;

    @Override
    public Integer call() {
      try (WeirHome home = WeirHome.open(spec)) {
        DagRunRow run = home.run(dagId, runId);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
          Output.json(out, Rows.json(run));
        } else {
          out.println(run.state().label());
          out.flush();
        }
      }
      return 0;
    }
  }
}
