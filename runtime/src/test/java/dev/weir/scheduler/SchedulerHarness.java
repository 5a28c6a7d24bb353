package dev.weir.scheduler;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.model.DagSpec;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.Secrets;
import dev.weir.secrets.SecretsStore;
import dev.weir.sensors.SensorSupport;
import dev.weir.sensors.StoreRunLookup;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import dev.weir.testing.SettableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scheduler on a real H2 store in a temporary home, with a settable clock and a manual executor,
 * driven pass by pass: no thread, no sleep.
 */
final class SchedulerHarness implements AutoCloseable {
  final Path home;
  final Path dags;
  final SettableClock clock;
  final Database database;
  final MetadataStore store;
  final DagBag bag;
  ManualExecutor executor;
  SchedulerCore core;
  private int cores;

  SchedulerHarness(Path temp, Instant now) {
    this.home = temp.resolve("home");
    this.dags = temp.resolve("dags");
    try {
      Files.createDirectories(dags);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.clock = new SettableClock(now);
    this.database = Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
    this.store = new JdbcMetadataStore(database);
    this.bag = new DagBag(dags, DagBagOptions.defaults(), clock);
  }

  SchedulerHarness dag(String file, String script) {
    try {
      Files.writeString(dags.resolve(file), script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Starts a scheduler (again): loads the folder and recovers the store's unfinished work. */
  SchedulerHarness start(int slots, boolean runAtOnce) {
    return start(
        new ManualExecutor(
            slots, runAtOnce, clock, new TaskRunner(TaskServices.local(new StoreXComs(store)))));
  }

  /**
   * Starts a scheduler whose tries' sensors read this store and DAG folder, and whose poke-mode
   * waits advance the clock.
   */
  SchedulerHarness startWithSensors(int slots, boolean runAtOnce) {
    TaskRunner runner =
        new TaskRunner(
            TaskServices.local(new StoreXComs(store)),
            new SensorSupport(clock, clock::advance, new StoreRunLookup(() -> store, bag, clock)));
    return start(new ManualExecutor(slots, runAtOnce, clock, runner));
  }

  /**
   * Starts a scheduler whose tries see the connections and variables of the store (and the
   * environment's {@code WEIR_CONN_}/{@code WEIR_VAR_}), secrets masked, as the daemon's do.
   */
  SchedulerHarness startWithSecrets(int slots, boolean runAtOnce, Map<String, String> environment) {
    Secrets secrets = Secrets.of(environment, secretsStore());
    TaskRunner runner =
        new TaskRunner(
            TaskServices.of(
                secrets::connection, secrets::variable, new StoreXComs(store), secrets::mask));
    return start(new ManualExecutor(slots, runAtOnce, clock, runner));
  }

  /** The store's connections and variables, encrypted with the home's key. */
  SecretsStore secretsStore() {
    return new SecretsStore(database, new SecretCipher(MasterKey.from(Map.of(), home)));
  }

  private SchedulerHarness start(ManualExecutor manual) {
    bag.refresh();
    assert bag.importErrors().isEmpty() : bag.importErrors();
    executor = manual;
    core =
        new SchedulerCore(
            store,
            bag,
            executor,
            clock,
            home.resolve("logs"),
            "scheduler-" + ++cores,
            "test-host",
            Optional::empty);
    core.recover();
    return this;
  }

  void refresh() {
    bag.refresh();
    core.dagsChanged();
  }

  void unpause(String dagId) {
    store.setPaused(dagId, false);
  }

  /** One tick, then passes until the executor reports nothing more. */
  void pass() {
    core.pass(true);
    for (int i = 0; i < 100_000 && core.hasEvents(); i++) {
      core.pass(false);
    }
  }

  DagSpec spec(String dagId) {
    return bag.dag(dagId).orElseThrow();
  }

  DagRunRow trigger(String dagId, Instant logicalDate) {
    RunRequests requests = new RunRequests(store, clock);
    DagSpec dag = spec(dagId);
    long version = requests.saveDag(dag, bag.source(dag.source().file()).orElseThrow(), null);
    return requests.trigger(dag, version, logicalDate, "{}");
  }

  /** Runs of a DAG, oldest first. */
  List<DagRunRow> runs(String dagId) {
    List<DagRunRow> runs = new ArrayList<>(store.runs(dagId, null, 100_000));
    java.util.Collections.reverse(runs);
    return runs;
  }

  DagRunRow run(String dagId, String runId) {
    return store.run(dagId, runId).orElseThrow();
  }

  Map<String, TaskState> states(DagRunRow run) {
    Map<String, TaskState> states = new LinkedHashMap<>();
    for (TaskInstanceRow instance : store.taskInstances(run.id())) {
      states.put(instance.taskId(), instance.state());
    }
    return states;
  }

  /** Every task instance of a run by key ({@code id}, or {@code id[i]} when mapped). */
  Map<String, TaskInstanceRow> instances(DagRunRow run) {
    Map<String, TaskInstanceRow> instances = new LinkedHashMap<>();
    for (TaskInstanceRow instance : store.taskInstances(run.id())) {
      instances.put(instance.key(), instance);
    }
    return instances;
  }

  /** A stored XCom value of a task instance, decoded, or null. */
  Object xcom(DagRunRow run, String taskId, int mapIndex, String key) {
    String json = store.xcomValues(run.dagId(), run.runId(), taskId, key).get(mapIndex);
    return json == null ? null : dev.weir.run.TaskXCom.decode(json);
  }

  TaskInstanceRow instance(DagRunRow run, String taskId) {
    return store.taskInstances(run.id()).stream()
        .filter(instance -> instance.taskId().equals(taskId))
        .findFirst()
        .orElseThrow();
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.close();
    }
    bag.close();
    store.close();
    database.close();
  }
}
