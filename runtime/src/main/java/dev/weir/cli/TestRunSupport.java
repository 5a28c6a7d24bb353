package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.config.Settings.SettingsException;
import dev.weir.dagbag.DagBag;
import dev.weir.model.DagSpec;
import dev.weir.run.Dates;
import dev.weir.run.Durations;
import dev.weir.run.InMemoryXComs;
import dev.weir.run.LocalDagRun;
import dev.weir.run.RunContext;
import dev.weir.run.TaskInstanceReport;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.schedule.DataInterval;
import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.Secrets;
import dev.weir.secrets.SecretsStore;
import dev.weir.sensors.RunLookup;
import dev.weir.sensors.SensorSupport;
import dev.weir.sensors.Sleeper;
import dev.weir.sensors.StoreRunLookup;
import dev.weir.store.MetadataStore;
import dev.weir.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code dags test} and {@code tasks test} share: conf, logs, and how results print. */
final class TestRunSupport implements AutoCloseable {
  @Option(
      names = "--conf",
      paramLabel = "JSON",
      description = "The run's configuration as a JSON object, such as '{\"limit\": 10}'.")
  String conf;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  private Path logsRoot;
  private TaskRunner runner;
  private WeirHome home;

  Map<String, Object> conf() {
    return parseConf(conf);
  }

  /** The {@code --conf} JSON object, or a usage error saying what is wrong with it. */
  static Map<String, Object> parseConf(String conf) {
    if (conf == null || conf.isBlank()) {
      return Map.of();
    }
    try {
      Object value = Output.mapper().readValue(conf, Object.class);
      if (!(value instanceof Map<?, ?>)) {
        throw new CliException(
            CliException.USAGE, "--conf must be a JSON object such as '{\"limit\": 10}'");
      }
      return Output.mapper().readValue(conf, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new CliException(
          CliException.USAGE,
          "--conf is not valid JSON: "
              + e.getOriginalMessage()
              + " at column "
              + e.getLocation().getColumnNr());
    }
  }

  /** Checks a conf against the DAG's params; a mismatch is a usage error that names the param. */
  static void checkParams(DagSpec dag, Map<String, Object> conf) {
    try {
      dev.weir.run.Params.validate(dag, conf);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, e.getMessage());
    }
  }

  /** The run a test stands for (see {@link LogicalDates#testInterval}), with its conf. */
  RunContext runContext(DagSpec dag, String logicalDate, Clock clock, PrintWriter err) {
    Map<String, Object> runConf = conf();
    checkParams(dag, runConf);
    DataInterval interval = LogicalDates.testInterval(dag, logicalDate, clock);
    if (dag.startDate() != null && interval.logicalDate().isBefore(dag.startDate())) {
      err.println(
          "weir: note: logical date "
              + Dates.iso(interval.logicalDate(), dag.timezone())
              + " is before the DAG's startDate "
              + Dates.iso(dag.startDate(), dag.timezone())
              + "; the scheduler would never run it");
      err.flush();
    }
    return new RunContext(dag, RunContext.runId("test", interval), interval, runConf);
  }

  /**
   * A local run whose task logs go to a temporary folder and, line by line, to {@code console}
   * prefixed by the task id.
   */
  LocalDagRun localRun(Clock clock, PrintWriter console) {
    return localRun(
        clock, console, RunLookup.unavailable("there is no metadata store in this command"));
  }

  /**
   * A local run whose sensors and triggerDagRun tasks reach other DAGs' runs in the store of
   * WEIR_HOME, opened only when a task asks; a home without a database is an error of that task.
   */
  LocalDagRun localRun(Clock clock, PrintWriter console, DagBag bag, CommandSpec command) {
    return localRun(clock, console, new StoreRunLookup(() -> homeStore(command), bag, clock));
  }

  private synchronized MetadataStore homeStore(CommandSpec command) {
    if (home == null) {
      home =
          WeirHome.openExisting(command)
              .orElseThrow(
                  () ->
                      new RunLookup.Unavailable(
                          "WEIR_HOME ("
                              + WeirHome.settings(command).home()
                              + ") has no database; start weir standalone or weir scheduler there"
                              + " first, or set WEIR_HOME to the home that has one"));
    }
    return home.store();
  }

  private LocalDagRun localRun(Clock clock, PrintWriter console, RunLookup runs) {
    try {
      logsRoot = Files.createTempDirectory("weir-test-logs");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for task logs", e);
    }
    InMemoryXComs xcoms = new InMemoryXComs();
    Secrets secrets = secrets();
    runner =
        new TaskRunner(
            TaskServices.of(secrets::connection, secrets::variable, xcoms, secrets::mask),
            new SensorSupport(clock, Sleeper.THREAD, runs));
    return new LocalDagRun(
        runner,
        xcoms,
        clock,
        duration -> Thread.sleep(Math.max(0, duration.toMillis())),
        logsRoot,
        (taskId, line) -> {
          synchronized (console) {
            console.println("[" + taskId + "] " + line);
            console.flush();
          }
        });
  }

  /**
   * Connections and variables for the test: {@code WEIR_CONN_*} and {@code WEIR_VAR_*}, over those
   * of the home's metadata database when it has one. A test run never creates a database, and runs
   * on with the environment alone when the database cannot be opened.
   */
  private Secrets secrets() {
    Map<String, String> environment = Environment.of(command);
    try {
      Optional<WeirHome> existing = WeirHome.openExisting(command);
      if (existing.isPresent()) {
        home = existing.get();
        return Secrets.of(
            environment,
            new SecretsStore(home.database(), new SecretCipher(MasterKey.from(home.settings()))));
      }
    } catch (StoreException | SettingsException e) {
      closeHome();
      PrintWriter err = command.commandLine().getErr();
      err.println(
          "weir: note: cannot read connections and variables from the metadata database ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); using WEIR_CONN_* and WEIR_VAR_* only");
      err.flush();
    }
    return Secrets.of(environment);
  }

  private void closeHome() {
    if (home != null) {
      home.close();
      home = null;
    }
  }

  static Map<String, Object> json(TaskInstanceReport ti) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("taskId", ti.taskId());
    row.put("state", ti.state().label());
    row.put("tryNumber", ti.tryNumber());
    row.put("start", ti.start() == null ? null : ti.start().toString());
    row.put("end", ti.end() == null ? null : ti.end().toString());
    row.put("durationMs", duration(ti) == null ? null : duration(ti).toMillis());
    if (ti.error() != null) {
      row.put("error", ti.error());
    }
    return row;
  }

  static List<String> row(TaskInstanceReport ti) {
    return List.of(
        ti.taskId(),
        ti.state().label(),
        Integer.toString(ti.tryNumber()),
        Durations.format(duration(ti)),
        ti.error() == null ? "" : ti.error());
  }

  static final List<String> HEADER = List.of("TASK", "STATE", "TRY", "DURATION", "ERROR");

  private static Duration duration(TaskInstanceReport ti) {
    return ti.start() == null || ti.end() == null ? null : Duration.between(ti.start(), ti.end());
  }

  @Override
  public void close() {
    if (runner != null) {
      runner.close();
    }
    synchronized (this) {
      closeHome();
    }
    if (logsRoot != null) {
      try (Stream<Path> files = Files.walk(logsRoot)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A leftover temporary folder is harmless.
      }
    }
  }
}
