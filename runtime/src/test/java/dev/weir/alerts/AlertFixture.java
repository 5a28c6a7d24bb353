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
import dev.weir.store.DagRunRow;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A home folder, an outbox with runs and alert rows, and dispatchers over them; what every alert
 * test needs.
 */
final class AlertFixture implements AutoCloseable {
  static final Instant LOGICAL = Instant.parse("2025-01-01T03:00:00Z");

  final Path home;
  final Map<String, String> environment = new HashMap<>();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final MemoryOutbox outbox = new MemoryOutbox();
  final Map<String, DagSpec> dags = new ConcurrentHashMap<>();
  private final List<AlertDispatcher> started = new ArrayList<>();

  AlertFixture(Path home) {
    this.home = home;
    environment.put("WEIR_HOME", home.toString());
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

  /** A failed scheduled run of the DAG; its store key. */
  long run(String dagId, String runId) {
    return outbox.addRun(dagId, runId, RunState.FAILED, "{}");
  }

  static String runId(Instant logical) {
    return "scheduled__" + dev.weir.run.Dates.iso(logical, ZoneOffset.UTC);
  }

  long alert(long runPk, CallbackEvent event, String taskId, int tryNumber, String error) {
    return outbox.addAlert(runPk, event, taskId, -1, tryNumber, error);
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
            outbox,
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
      String outcome = outbox.outcomes.get(alertId);
      if (outcome != null) {
        return outcome;
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
  }

  /** The store's outbox, runs and task instances, in memory. */
  static final class MemoryOutbox implements Outbox {
    final Map<Long, AlertRow> pending = new LinkedHashMap<>();
    final Map<Long, String> outcomes = new ConcurrentHashMap<>();
    final Map<Long, DagRunRow> runs = new ConcurrentHashMap<>();
    final Map<Long, List<TaskInstanceRow>> instances = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    synchronized long addRun(String dagId, String runId, RunState state, String conf) {
      long pk = ids.incrementAndGet();
      runs.put(
          pk,
          new DagRunRow(
              pk,
              dagId,
              runId,
              RunType.SCHEDULED,
              LOGICAL,
              LOGICAL,
              LOGICAL.plus(Duration.ofDays(1)),
              conf,
              state,
              LOGICAL,
              LOGICAL,
              LOGICAL,
              1,
              null));
      return pk;
    }

    synchronized long addAlert(
        long runPk, CallbackEvent event, String taskId, int mapIndex, int tryNumber, String error) {
      long id = ids.incrementAndGet();
      DagRunRow run = runs.get(runPk);
      pending.put(
          id,
          new AlertRow(
              id,
              runPk,
              run.dagId(),
              run.runId(),
              event,
              taskId,
              mapIndex,
              tryNumber,
              error,
              Instant.now()));
      return id;
    }

    @Override
    public synchronized List<AlertRow> pendingAlerts(int limit) {
      return pending.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized void alertsDelivered(Map<Long, String> done, Instant at) {
      done.forEach(
          (id, outcome) -> {
            pending.remove(id);
            outcomes.put(id, outcome);
          });
    }

    @Override
    public Optional<DagRunRow> run(long runPk) {
      return Optional.ofNullable(runs.get(runPk));
    }

    @Override
    public List<TaskInstanceRow> taskInstances(long runPk) {
      return instances.getOrDefault(runPk, List.of());
    }
  }
}
