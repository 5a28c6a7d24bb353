package dev.weir.cli;

import dev.weir.config.Settings.SettingsException;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.ImportError;
import dev.weir.graph.GraphRenderer;
import dev.weir.model.DagSpec;
import dev.weir.run.Dates;
import dev.weir.schedule.DataInterval;
import dev.weir.store.DagRow;
import dev.weir.store.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "dags",
    description =
        "Work with DAGs: inspect, test, trigger, pause, backfill; list runs and set their state.",
    subcommands = {
      DagsCommand.ListDags.class,
      DagsCommand.ListImportErrors.class,
      DagsCommand.Show.class,
      DagsCommand.NextExecution.class,
      DagTestCommand.class,
      DagRunCommands.Trigger.class,
      DagRunCommands.Pause.class,
      DagRunCommands.Unpause.class,
      DagRunCommands.Backfill.class,
      DagRunCommands.ListRuns.class,
      DagRunCommands.State.class,
      DagRunCommands.SetRunState.class
    })
final class DagsCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the DAGs that load.",
        "PAUSED and NEXT_RUN come from the metadata database when it exists; they are empty for a"
            + " DAG the scheduler has not seen yet."
      })
  static final class ListDags implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      try (DagBag bag = folder.load()) {
        Map<String, DagRow> stored = storedDags();
        if (output.json()) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (DagSpec dag : bag.dags().values()) {
            DagRow known = stored.get(dag.id());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("dagId", dag.id());
            row.put("file", dag.source().file());
            row.put("schedule", dag.schedule().describe());
            row.put("timezone", dag.timezone().getId());
            row.put("tasks", dag.tasks().size());
            row.put("paused", known == null ? null : known.paused());
            row.put("nextRun", nextRun(dag, known));
            row.put("tags", dag.tags());
            row.put("description", dag.description());
            rows.add(row);
          }
          Output.json(spec.commandLine().getOut(), rows);
        } else {
          Output.table(
              spec.commandLine().getOut(),
              List.of(
                  "DAG_ID", "SCHEDULE", "TIMEZONE", "TASKS", "PAUSED", "NEXT_RUN", "TAGS", "FILE"),
              bag.dags().values().stream()
                  .map(
                      dag ->
                          List.of(
                              dag.id(),
                              dag.schedule().describe(),
                              dag.timezone().getId(),
                              Integer.toString(dag.tasks().size()),
                              paused(stored.get(dag.id())),
                              Objects.toString(nextRun(dag, stored.get(dag.id())), ""),
                              String.join(",", dag.tags()),
                              dag.source().file()))
                  .toList());
          if (!bag.importErrors().isEmpty()) {
            spec.commandLine()
                .getErr()
                .println(
                    "weir: "
                        + bag.importErrors().size()
                        + " file(s) failed to load; see weir dags list-import-errors");
          }
        }
      }
      return 0;
    }

    /**
     * The store's DAGs by id; none when the home has no database yet (listing creates none) or it
     * cannot be read, which a note on standard error says.
     */
    private Map<String, DagRow> storedDags() {
      try {
        Optional<WeirHome> home = WeirHome.openExisting(spec);
        if (home.isEmpty()) {
          return Map.of();
        }
        try (WeirHome open = home.get()) {
          Map<String, DagRow> dags = new HashMap<>();
          open.store().dags().forEach(row -> dags.put(row.dagId(), row));
          return dags;
        }
      } catch (StoreException | SettingsException e) {
        spec.commandLine()
            .getErr()
            .println(
                "weir: note: PAUSED and NEXT_RUN are left empty: "
                    + e.getMessage().lines().findFirst().orElse(""));
        return Map.of();
      }
    }

    /** The next scheduled run in the DAG's time zone; null when none or the DAG is not stored. */
    private static String nextRun(DagSpec dag, DagRow row) {
      return row == null || row.nextRunAt() == null
          ? null
          : Dates.iso(row.nextRunAt(), dag.timezone());
    }

    private static String paused(DagRow row) {
      return row == null ? "" : row.paused() ? "yes" : "no";
    }
  }

  @Command(
      name = "list-import-errors",
      description = "List the files that failed to load, with file, line and reason.")
  static final class ListImportErrors implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      try (DagBag bag = folder.load()) {
        List<ImportError> errors = bag.importErrors();
        if (output.json()) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (ImportError error : errors) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", error.file());
            row.put("line", error.line());
            row.put("message", problem(error));
            rows.add(row);
          }
          Output.json(spec.commandLine().getOut(), rows);
        } else if (errors.isEmpty()) {
          spec.commandLine().getOut().println("No import errors.");
        } else {
          Output.table(
              spec.commandLine().getOut(),
              List.of("FILE", "LINE", "ERROR"),
              errors.stream()
                  .map(
                      e ->
                          List.of(
                              e.file(), e.line() > 0 ? Integer.toString(e.line()) : "", problem(e)))
                  .toList());
        }
      }
      return 0;
    }
  }

  /** An import error's message without the file and line it starts with. */
  static String problem(ImportError error) {
    String location =
        error.line() > 0 ? error.file() + ":" + error.line() + ": " : error.file() + ": ";
    return error.message().startsWith(location)
        ? error.message().substring(location.length())
        : error.message();
  }

  @Command(name = "show", description = "Draw a DAG's tasks and dependencies.")
  static final class Show implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DAG_ID", description = "The DAG to draw.")
    String dagId;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        description = "ascii, dot (Graphviz) or mermaid (default: ${DEFAULT-VALUE}).",
        defaultValue = "ascii")
    String format;

    @Override
    public Integer call() {
      GraphRenderer renderer;
      try {
        renderer = GraphRenderer.forFormat(format);
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.USAGE, e.getMessage());
      }
      try (DagBag bag = folder.load()) {
        DagSpec dag = DagsFolderOptions.find(bag, dagId);
        if (output.json()) {
          List<Map<String, Object>> tasks = new ArrayList<>();
          for (String taskId : dag.topologicalOrder()) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("taskId", taskId);
            task.put("kind", dag.tasks().get(taskId).action().kind());
            task.put("group", dag.tasks().get(taskId).group());
            task.put("triggerRule", dag.tasks().get(taskId).triggerRule().scriptName());
            task.put("upstream", List.copyOf(dag.upstream(taskId)));
            tasks.add(task);
          }
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("dagId", dag.id());
          json.put("tasks", tasks);
          Output.json(spec.commandLine().getOut(), json);
        } else {
          spec.commandLine().getOut().print(renderer.render(dag));
          spec.commandLine().getOut().flush();
        }
      }
      return 0;
    }
  }

  @Command(
      name = "next-execution",
      description = {
        "Print the next runs of a DAG that are not yet due.",
        "One line each: logical date, data interval start and end, tab-separated, ISO-8601 in the"
            + " DAG's time zone. The first is the run whose interval is in progress."
      })
  static final class NextExecution implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Option(
        names = {"-n", "--num-executions"},
        paramLabel = "N",
        description = "How many runs (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    int count;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      if (count < 1) {
        throw new CliException(CliException.USAGE, "-n takes a number of 1 or more, got " + count);
      }
      try (DagBag bag = folder.load()) {
        DagSpec dag = DagsFolderOptions.find(bag, dagId);
        List<DataInterval> next = dag.timetable().upcoming(clock.instant(), count);
        if (output.json()) {
          List<Map<String, String>> rows = new ArrayList<>();
          for (DataInterval interval : next) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("logicalDate", format(dag, interval.logicalDate()));
            row.put("dataIntervalStart", format(dag, interval.start()));
            row.put("dataIntervalEnd", format(dag, interval.end()));
            rows.add(row);
          }
          Output.json(spec.commandLine().getOut(), rows);
        } else {
          for (DataInterval interval : next) {
            spec.commandLine()
                .getOut()
                .println(
                    format(dag, interval.logicalDate())
                        + "\t"
                        + format(dag, interval.start())
                        + "\t"
                        + format(dag, interval.end()));
          }
          spec.commandLine().getOut().flush();
        }
        if (next.isEmpty()) {
          spec.commandLine()
              .getErr()
              .println(
                  "weir: dag '"
                      + dagId
                      + "' has no runs ahead (schedule "
                      + dag.schedule().describe()
                      + ")");
        }
      }
      return 0;
    }

    static String format(DagSpec dag, java.time.Instant instant) {
      return Dates.iso(instant, dag.timezone());
    }
  }
}
