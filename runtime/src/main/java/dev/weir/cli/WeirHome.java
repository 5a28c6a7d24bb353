package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.GitHead;
import dev.weir.model.DagSpec;
import dev.weir.scheduler.RunRequests;
import dev.weir.store.DagRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The metadata store of {@code WEIR_HOME}, opened for one command, with lookups that end the
 * command with a message naming what is missing. Opening applies pending migrations, as every Weir
 * process does; it works while a scheduler holds the same home.
 */
final class WeirHome implements AutoCloseable {
  private final Settings settings;
  private final Database database;
  private final MetadataStore store;

  private WeirHome(Settings settings, Database database) {
    this.settings = settings;
    this.database = database;
    this.store = new JdbcMetadataStore(database);
  }

  /** The settings of the command line's environment. */
  static Settings settings(CommandSpec command) {
    return Settings.load(Environment.of(command));
  }

  static WeirHome open(CommandSpec command) {
    Settings settings = settings(command);
    return new WeirHome(settings, Database.open(settings));
  }

  /**
   * The store when it exists already; empty, creating nothing, when this home has no database yet.
   */
  static Optional<WeirHome> openExisting(CommandSpec command) {
    Settings settings = settings(command);
    // Without db.url the database is the H2 file weir.mv.db in the home folder.
    if (settings.get(Database.URL).isEmpty()
        && !Files.exists(settings.home().resolve("weir.mv.db"))) {
      return Optional.empty();
    }
    return Optional.of(new WeirHome(settings, Database.open(settings)));
  }

  Settings settings() {
    return settings;
  }

  Database database() {
    return database;
  }

  MetadataStore store() {
    return store;
  }

  RunRequests requests(Clock clock) {
    return new RunRequests(store, clock);
  }

  /** Saves the loaded DAG as its current version (if new); returns the version id. */
  long saveDag(DagBag bag, DagSpec dag, Clock clock) {
    String source =
        bag.source(dag.source().file())
            .orElseThrow(
                () ->
                    new CliException(
                        CliException.FAILED,
                        "the text of " + dag.source().file() + " changed while it was loaded"));
    return requests(clock).saveDag(dag, source, GitHead.commit(bag.folder()).orElse(null));
  }

  /** The DAG as the store knows it, or a usage error. */
  DagRow dag(String dagId) {
    return store
        .dag(dagId)
        .orElseThrow(
            () ->
                new CliException(
                    CliException.USAGE,
                    "dag '"
                        + dagId
                        + "' is not in the metadata database"
                        + Suggestions.didYouMean(
                            dagId, store.dags().stream().map(DagRow::dagId).toList())
                        + " (a DAG gets there when the scheduler loads it or it is triggered)"));
  }

  /** The run, or a usage error naming the DAG's latest runs. */
  DagRunRow run(String dagId, String runId) {
    Optional<DagRunRow> run = store.run(dagId, runId);
    if (run.isPresent()) {
      return run.get();
    }
    dag(dagId);
    List<String> latest = store.runs(dagId, null, 3).stream().map(DagRunRow::runId).toList();
    throw new CliException(
        CliException.USAGE,
        "dag '"
            + dagId
            + "' has no run '"
            + runId
            + "'"
            + (latest.isEmpty()
                ? "; it has no runs"
                : "; its latest: " + String.join(", ", latest) + " (weir dags list-runs)"));
  }

  /** The task instance of the run, or a usage error listing the run's tasks. */
  TaskInstanceRow instance(DagRunRow run, String taskId) {
    List<TaskInstanceRow> instances = store.taskInstances(run.id());
    return instances.stream()
        .filter(ti -> ti.key().equals(taskId))
        .findFirst()
        .orElseThrow(
            () ->
                new CliException(
                    CliException.USAGE,
                    "run '"
                        + run.runId()
                        + "' of dag '"
                        + run.dagId()
                        + "' has no task '"
                        + taskId
                        + "'; its tasks: "
                        + String.join(
                            ", ", instances.stream().map(TaskInstanceRow::taskId).toList())));
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      database.close();
    }
  }
}
