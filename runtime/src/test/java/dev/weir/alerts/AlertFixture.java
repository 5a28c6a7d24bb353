package dev.weir.alerts;

import dev.weir.config.Settings;
import dev.weir.executor.TaskLog;
import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.Callbacks;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskAction;
import dev.weir.model.TaskSpec;
import dev.weir.model.TriggerRule;
import dev.weir.secrets.Secrets;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.AlertRow;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.store.NewAlert;
import dev.weir.store.NewRun;
import dev.weir.store.RunType;
import dev.weir.store.TaskInstanceRow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A home folder with an H2 store of runs and alert rows, and dispatchers over them; what every
 * alert test needs.
 */
final class AlertFixture implements AutoCloseable {
  static final Instant LOGICAL = Instant.parse("2025-01-01T03:00:00Z");

  final Path home;
  final Map<String, String> environment = new HashMap<>();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final Database database;
  final MetadataStore store;
  final Map<String, DagSpec> dags = new ConcurrentHashMap<>();
  private final List<AlertDispatcher> started = new ArrayList<>();
  private int runs;

  AlertFixture(Path home) {
    this.home = home;
    environment.put("WEIR_HOME", home.toString());
    database = Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
    store = new JdbcMetadataStore(database);
    environment.put("WEIR_WEB_BASE_URL", "https://weir.example.org/");
    environment.put("WEIR_ALERTS_RETRY_DELAY", "10ms");
    environment.put("WEIR_ALERTS_POLL_INTERVAL", "50ms");
  }

  AlertFixture set(String variable, String value) {
    environment.put(variable, value);
    return this;
  }

  /** A task with these callbacks for one event. */
  static TaskSpec task(String id, CallbackEvent event, Callback... callbacks) {
    return new TaskSpec(
        id,
        null,
        new TaskAction.Empty(),
        0,
        Duration.ZERO,
        false,
        null,
        null,
        TriggerRule.ALL_SUCCESS,
        false,
        1,
        "default_pool",
        "default",
        "airflow",
        null,
        null,
        0,
        List.of(),
        new Callbacks(Map.of(event, List.of(callbacks))));
  }

  DagSpec dag(DagSpec dag) {
    dags.put(dag.id(), dag);
    return dag;
  }

  /** A failed run of the DAG with these task instances; its store key. */
  long run(String dagId, String runId, TaskInstanceRow... instances) {
    return run(dagId, runId, "{}", instances);
  }

  long run(String dagId, String runId, String conf, TaskInstanceRow... instances) {
    long version =
        store.saveVersion(dagId, "0".repeat(64), null, "dags/" + dagId + ".groovy", "", LOGICAL);
    store.saveDag(dagId, "dags/" + dagId + ".groovy", version, false, LOGICAL);
    // A DAG has one run per logical date: later runs of a test are an hour apart.
    Instant logical = LOGICAL.plus(Duration.ofHours(runs++));
    DagRunRow run =
        store.insertRun(
            new NewRun(
                dagId,
                runId,
                RunType.SCHEDULED,
                logical,
                logical,
                logical.plus(Duration.ofDays(1)),
                conf,
                logical,
                version,
                null),
            List.of(instances));
    store.write(new Batch().run(run.withState(RunState.FAILED, LOGICAL, LOGICAL)));
    return run.id();
  }

  static TaskInstanceRow instance(String taskId, TaskState state) {
    return new TaskInstanceRow(0, taskId, state, 1, 1, null, null, null, null);
  }

  static String runId(Instant logical) {
    return "scheduled__" + dev.weir.run.Dates.iso(logical, ZoneOffset.UTC);
  }

  long alert(long runPk, CallbackEvent event, String taskId, int tryNumber, String error) {
    return alert(new NewAlert(runPk, event, taskId, -1, tryNumber, error, LOGICAL));
  }

  long alert(NewAlert alert) {
    store.write(new Batch().alert(alert));
    return store.alertsOfRun(alert.runPk()).stream().mapToLong(AlertRow::id).max().orElseThrow();
  }

  /** Writes a try's log where the scheduler would. */
  void log(String dagId, String runId, String taskId, int tryNumber, String... lines)
      throws IOException {
    Path file = TaskLog.path(home.resolve("logs"), dagId, runId, taskId, -1, tryNumber);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  AlertDispatcher dispatcher() {
    Settings settings = Settings.load(environment);
    AlertDispatcher dispatcher =
        new AlertDispatcher(
            store,
            (versionId, dagId) -> dags.get(dagId),
            settings,
            Clock.systemUTC(),
            settings.logsFolder(),
            Secrets.of(environment),
            meters);
    started.add(dispatcher);
    return dispatcher;
  }

  AlertDispatcher start() {
    AlertDispatcher dispatcher = dispatcher();
    dispatcher.start();
    return dispatcher;
  }

  /** Waits (up to 30 s, so a broken build fails rather than hangs) for the row's outcome. */
  String outcome(long alertId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> outcome = store.alertOutcome(alertId);
      if (outcome.isPresent()) {
        return outcome.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("alert " + alertId + " was not delivered");
  }

  double failures(String notifier) {
    var counter = meters.find("weir.notifier.failures").tag("notifier", notifier).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    started.forEach(AlertDispatcher::close);
    store.close();
  }
}
