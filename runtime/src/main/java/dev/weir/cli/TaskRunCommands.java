package dev.weir.cli;

import dev.weir.dagbag.DagBag;
import dev.weir.executor.TaskLog;
import dev.weir.scheduler.ClearRequest;
import dev.weir.scheduler.ClearedInstance;
import dev.weir.scheduler.MarkRequest;
import dev.weir.scheduler.MarkedInstance;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code tasks} commands that work on the metadata store: states, clearing, marking, logs. */
final class TaskRunCommands {
  private TaskRunCommands() {}

  @Command(
      name = "states-for-dag-run",
      description = "List the task instances of a DAG run with state, try, start, end, duration.")
  static final class StatesForDagRun implements Callable<Integer> {
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
        List<TaskInstanceRow> instances = home.store().taskInstances(run.id());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
          Output.json(out, instances.stream().map(Rows::json).toList());
        } else {
          Output.table(out, Rows.INSTANCE_HEADER, instances.stream().map(Rows::row).toList());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "clear",
      description = {
        "Clear task instances so that the scheduler runs them again.",
        "Chooses the runs (all of the DAG's by default) and the tasks (all by default). A cleared"
            + " instance gets its retries again; its finished run is queued again. When a scheduler"
            + " runs, it carries the request out and stops running tries it clears."
      })
  static final class Clear implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Option(
        names = {"-t", "--task-regex"},
        paramLabel = "REGEX",
        description = "Only tasks whose id contains a match of this regular expression.")
    String taskRegex;

    @Option(
        names = {"-d", "--downstream"},
        description = "Also every task downstream of a chosen one.")
    boolean downstream;

    @Option(
        names = {"-u", "--upstream"},
        description = "Also every task upstream of a chosen one.")
    boolean upstream;

    @Option(
        names = {"-f", "--only-failed"},
        description = "Only instances that failed or whose upstream failed.")
    boolean onlyFailed;

    @Option(
        names = "--from",
        paramLabel = "DATE",
        description = "Runs with a logical date at or after this one (in the DAG's time zone).")
    String from;

    @Option(
        names = "--to",
        paramLabel = "DATE",
        description = "Runs with a logical date at or before this one.")
    String to;

    @Option(
        names = "--run-id",
        paramLabel = "RUN_ID",
        description = "This run (repeat for several); then --from and --to do not apply.")
    List<String> runIds;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      if (taskRegex != null) {
        try {
          Pattern.compile(taskRegex);
        } catch (PatternSyntaxException e) {
          throw new CliException(
              CliException.USAGE,
              "--task-regex '"
                  + taskRegex
                  + "' is not a regular expression: "
                  + e.getDescription()
                  + " near index "
                  + e.getIndex());
        }
      }
      if (runIds != null && (from != null || to != null)) {
        throw new CliException(CliException.USAGE, "give either --run-id or --from/--to");
      }
      try (WeirHome home = WeirHome.open(spec)) {
        home.dag(dagId);
        if (runIds != null) {
          runIds.forEach(runId -> home.run(dagId, runId));
        }
        ZoneId zone = from == null && to == null ? ZoneOffset.UTC : zone();
        Instant start = from == null ? null : LogicalDates.parse(from, zone);
        Instant end = to == null ? null : LogicalDates.parse(to, zone);
        List<ClearedInstance> cleared;
        try {
          cleared =
              home.requests(clock)
                  .clear(
                      new ClearRequest(
                          dagId, runIds, start, end, taskRegex, downstream, upstream, onlyFailed));
        } catch (IllegalArgumentException e) {
          throw new CliException(CliException.USAGE, e.getMessage());
        } catch (IllegalStateException e) {
          throw new CliException(CliException.FAILED, e.getMessage());
        }
        print(cleared);
      }
      return 0;
    }

    /** The DAG's time zone, for dates without an offset, from the DAGs folder. */
    private ZoneId zone() {
      try (DagBag bag = folder.load()) {
        return DagsFolderOptions.find(bag, dagId).timezone();
      }
    }

    private void print(List<ClearedInstance> cleared) {
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", cleared.size());
        json.put(
            "cleared",
            cleared.stream()
                .map(
                    ti -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("runId", ti.runId());
                      row.put("taskId", ti.taskId());
                      row.put("previousState", ti.previousState().label());
                      return row;
                    })
                .toList());
        Output.json(out, json);
        return;
      }
      if (!cleared.isEmpty()) {
        Output.table(
            out,
            List.of("RUN_ID", "TASK_ID", "PREVIOUS_STATE"),
            cleared.stream()
                .map(ti -> List.of(ti.runId(), ti.taskId(), ti.previousState().label()))
                .toList());
        out.println();
      }
      out.println("Cleared " + cleared.size() + " task instance(s).");
      out.flush();
    }
  }

  @Command(
      name = "mark",
      description = {
        "Mark task instances of a DAG run success or failed.",
        "A running try is stopped. After a success, the failed and upstream-failed tasks"
            + " downstream are cleared so that they run again; after a failure, the tasks"
            + " downstream follow their trigger rules. When a scheduler runs, it carries the"
            + " request out."
      })
  static final class Mark implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run.")
    String runId;

    @Parameters(
        index = "2..*",
        arity = "1..*",
        paramLabel = "TASK_ID",
        description = "The tasks to mark (all the instances of a mapped task).")
    List<String> taskIds;

    @Option(
        names = "--state",
        required = true,
        paramLabel = "STATE",
        description = "success or failed.")
    String state;

    @Option(
        names = {"-u", "--upstream"},
        description = "Also every task upstream of a named one.")
    boolean upstream;

    @Option(
        names = {"-d", "--downstream"},
        description = "Also every task downstream of a named one.")
    boolean downstream;

    @Option(
        names = "--map-index",
        paramLabel = "N",
        description = "Only this instance of each named mapped task.")
    Integer mapIndex;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      TaskState target = taskState(state);
      try (WeirHome home = WeirHome.open(spec)) {
        home.run(dagId, runId);
        List<MarkedInstance> changed;
        try {
          changed =
              home.requests(clock)
                  .markTasks(
                      new MarkRequest(
                          dagId, runId, taskIds, mapIndex, target, upstream, downstream));
        } catch (IllegalArgumentException e) {
          throw new CliException(CliException.USAGE, e.getMessage());
        } catch (IllegalStateException e) {
          throw new CliException(CliException.FAILED, e.getMessage());
        }
        print(target, changed);
      }
      return 0;
    }

    static TaskState taskState(String text) {
      if (TaskState.SUCCESS.label().equalsIgnoreCase(text)) {
        return TaskState.SUCCESS;
      }
      if (TaskState.FAILED.label().equalsIgnoreCase(text)) {
        return TaskState.FAILED;
      }
      throw new CliException(
          CliException.USAGE, "--state takes success or failed, got '" + text + "'");
    }

    private void print(TaskState target, List<MarkedInstance> changed) {
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dagId", dagId);
        json.put("runId", runId);
        json.put("state", target.label());
        json.put("count", changed.size());
        json.put(
            "changed",
            changed.stream()
                .map(
                    ti -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("taskId", ti.taskId());
                      if (ti.mapIndex() >= 0) {
                        row.put("mapIndex", ti.mapIndex());
                      }
                      row.put("from", ti.from().label());
                      row.put("to", ti.to().label());
                      return row;
                    })
                .toList());
        Output.json(out, json);
        return;
      }
      if (!changed.isEmpty()) {
        Output.table(
            out,
            List.of("TASK_ID", "FROM", "TO"),
            changed.stream()
                .map(ti -> List.of(ti.key(), ti.from().label(), ti.to().label()))
                .toList());
        out.println();
      }
      long cleared = changed.stream().filter(ti -> ti.to() == TaskState.NONE).count();
      out.println(
          "Marked "
              + (changed.size() - cleared)
              + " task instance(s) "
              + target.label()
              + (cleared == 0 ? "" : "; cleared " + cleared + " downstream so that they run again")
              + ".");
      out.flush();
    }
  }

  @Command(
      name = "logs",
      description = {
        "Print the log of a task try.",
        "With --follow, keep printing what is appended until the try ends."
      })
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run.")
    String runId;

    @Parameters(
        index = "2",
        paramLabel = "TASK_ID",
        description = "The task; an instance of a mapped task with its index, such as each[3].")
    String taskId;

    @Option(names = "--try", paramLabel = "N", description = "The try (default: the latest).")
    Integer tryNumber;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing appended lines until the try ends.")
    boolean follow;

    Duration poll = Duration.ofMillis(200);

    @Override
    public Integer call() throws InterruptedException {
      if (tryNumber != null && tryNumber < 1) {
        throw new CliException(CliException.USAGE, "--try takes 1 or more, got " + tryNumber);
      }
      try (WeirHome home = WeirHome.open(spec)) {
        DagRunRow run = home.run(dagId, runId);
        TaskInstanceRow instance = home.instance(run, taskId);
        int number = tryNumber != null ? tryNumber : instance.tryNumber();
        while (follow && number == 0 && !instance.state().isFinished()) {
          // Not started yet: wait for its first try.
          Thread.sleep(poll.toMillis());
          instance = home.instance(run, taskId);
          number = instance.tryNumber();
        }
        if (number == 0) {
          throw new CliException(
              CliException.FAILED,
              "task '"
                  + taskId
                  + "' of run '"
                  + runId
                  + "' has not run ("
                  + instance.state().label()
                  + "), so it has no log");
        }
        if (number > Math.max(instance.tryNumber(), 1)) {
          throw new CliException(
              CliException.USAGE,
              "task '"
                  + taskId
                  + "' of run '"
                  + runId
                  + "' has "
                  + instance.tryNumber()
                  + " tr"
                  + (instance.tryNumber() == 1 ? "y" : "ies")
                  + "; there is no try "
                  + number);
        }
        Path file =
            TaskLog.path(
                home.settings().logsFolder(),
                dagId,
                run.runId(),
                instance.taskId(),
                instance.mapIndex(),
                number);
        Tail tail = new Tail(file, spec.commandLine().getOut());
        if (!follow) {
          if (!Files.isRegularFile(file)) {
            throw missing(file, number);
          }
          tail.copy();
          tail.finish();
          return 0;
        }
        while (true) {
          boolean ended = ended(home, run, number);
          tail.copy();
          if (ended) {
            break;
          }
          Thread.sleep(poll.toMillis());
        }
        if (!tail.seen()) {
          throw missing(file, number);
        }
        tail.finish();
      }
      return 0;
    }

    private CliException missing(Path file, int number) {
      return new CliException(
          CliException.FAILED,
          "no log for try "
              + number
              + " of task '"
              + taskId
              + "' in run '"
              + runId
              + "': "
              + file
              + " does not exist");
    }

    /** Whether the try has ended, so that nothing more will be written to its log. */
    private boolean ended(WeirHome home, DagRunRow run, int number) {
      TaskInstanceRow instance = home.instance(run, taskId);
      for (TaskTryRow row : home.store().tries(run.id(), instance.taskId())) {
        if (row.mapIndex() == instance.mapIndex() && row.tryNumber() == number) {
          return row.endDate() != null;
        }
      }
      return instance.tryNumber() > number || instance.state().isFinished();
    }
  }

  /** Copies what is appended to a file, whole lines at a time. */
  static final class Tail {
    private final Path file;
    private final PrintWriter out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long position;
    private boolean seen;

    Tail(Path file, PrintWriter out) {
      this.file = file;
      this.out = out;
    }

    /** Prints the whole lines appended since the last call. */
    void copy() {
      if (!Files.isRegularFile(file)) {
        return;
      }
      seen = true;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        channel.position(position);
        int read;
        while ((read = channel.read(buffer)) > 0) {
          position += read;
          buffer.flip();
          while (buffer.hasRemaining()) {
            byte b = buffer.get();
            partial.write(b);
            if (b == '\n') {
              out.print(partial.toString(StandardCharsets.UTF_8));
              partial.reset();
            }
          }
          buffer.clear();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      out.flush();
    }

    boolean seen() {
      return seen;
    }

    /** Prints the last line when it has no line end. */
    void finish() {
      if (partial.size() > 0) {
        out.println(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
      }
      out.flush();
    }
  }
}
