package dev.weir.alerts;

import dev.weir.config.Settings;
import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.secrets.Secrets;
import dev.weir.store.AlertRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alert outbox: reads undelivered rows, runs each row's callbacks (code, email,
 * webhook) from the DAG version of its run, and records each row's outcome. Delivery is at least
 * once: a row is marked only after its callbacks ran, so rows left by a process that died are
 * delivered by the next one.
 *
 * <p>Works on its own daemon threads: one loop that reads the store (when woken, and every {@code
 * alerts.poll-interval}), a small pool that sends messages (retried after a doubling delay), a
 * bounded pool for code callbacks (each with a timeout), and a timer. Nothing here blocks the
 * scheduler or changes a run's state.
 *
 * <p>Task events of one run, event and notifier that are pending together go as one message; each
 * notifier sends at most {@code alerts.max-messages-per-run} messages of task events per run (the
 * count is kept in memory, so a restart starts it again), the rest are marked suppressed. Run
 * events are never grouped nor suppressed. Code callbacks are called once per row.
 */
public final class AlertDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

  /** How many runs' message counts are kept; older runs are forgotten. */
  static final int REMEMBERED_RUNS = 10_000;

  /** An outcome is cut to this length, so any store column can hold it. */
  static final int MAX_OUTCOME = 900;

  private final MetadataStore store;
  private final DagLookup dags;
  private final Settings settings;
  private final AlertSettings config;
  private final Clock clock;
  private final Secrets secrets;
  private final Facts facts;
  private final Messages messages;
  private final MeterRegistry meters;
  private final HttpClient http;
  private final ExecutorService notifierPool;
  private final ExecutorService codePool;
  private final ScheduledExecutorService timer;
  private final Deliveries deliveries;
  private final CodeCallbacks code;

  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final Queue<Map.Entry<Long, String>> finished = new ConcurrentLinkedQueue<>();
  private final Semaphore wake = new Semaphore(0);
  private final Map<Long, Map<Callback, Integer>> sentPerRun =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<Callback, Integer>> eldest) {
          return size() > REMEMBERED_RUNS;
        }
      };
  private volatile boolean running;
  private Thread loop;

  /**
   * A dispatcher, not yet started.
   *
   * @param dags finds the DAG of a run's version, whose callbacks a row runs
   * @param logsFolder the task logs, whose last lines messages quote
   * @param secrets the connections of notifiers and code callbacks, and the masker of messages
   * @param meters receives {@code weir_notifier_failures_total{notifier}} and {@code
   *     weir_alerts_suppressed_total{notifier}}
   * @throws dev.weir.config.Settings.SettingsException when an {@code alerts.*} setting is invalid
   */
  public AlertDispatcher(
      MetadataStore store,
      DagLookup dags,
      Settings settings,
      Clock clock,
      Path logsFolder,
      Secrets secrets,
      MeterRegistry meters) {
    this.store = store;
    this.dags = dags;
    this.settings = settings;
    this.config = AlertSettings.from(settings);
    this.clock = clock;
    this.secrets = secrets;
    this.meters = meters;
    this.facts = new Facts(config, logsFolder, secrets::mask);
    this.messages = new Messages(secrets::mask);
    this.http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
    this.notifierPool = Executors.newFixedThreadPool(config.threads(), daemon("weir-alerts-send"));
    this.codePool = Executors.newFixedThreadPool(config.threads(), daemon("weir-alerts-code"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("weir-alerts-timer"));
    this.deliveries =
        new Deliveries(
            notifierPool, timer, config.attempts(), config.retryDelay(), this::countFailure);
    this.code = new CodeCallbacks(codePool, timer, config.callbackTimeout(), this::countFailure);
    for (String kind : List.of("email", "webhook", "code")) {
      failures(kind); // registered at 0, so dashboards see the series before the first failure
    }
  }

  /** Starts delivering: at once (rows left from before are sent now), then when woken or polled. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    loop = daemon("weir-alerts").newThread(this::run);
    loop.start();
  }

  /** Tells the dispatcher that new rows were committed; returns at once. */
  public void wakeUp() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /**
   * Stops delivering. Rows whose callbacks have not finished stay undelivered in the store and are
   * delivered after the next start; a message may then be sent twice.
   */
  @Override
  public void close() {
    Thread stopping;
    synchronized (this) {
      running = false;
      stopping = loop;
      loop = null;
    }
    wakeUp();
    if (stopping != null) {
      try {
        stopping.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    timer.shutdownNow();
    notifierPool.shutdownNow();
    codePool.shutdownNow();
    try {
      record(); // what finished before the stop
    } catch (RuntimeException e) {
      log.warn(
          "Cannot record the outcome of delivered alerts; they will be sent again: {}",
          e.toString());
    }
  }

  private void run() {
    while (running) {
      try {
        boolean more = pass();
        if (more) {
          continue;
        }
      } catch (Throwable e) { // NOPMD: the loop must survive any one pass
        log.error(
            "Delivering alerts failed; trying again in {}. Will keep running.",
            config.pollInterval(),
            e);
      }
      try {
        wake.tryAcquire(config.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Records finished rows and starts the callbacks of new ones.
   *
   * @return whether a full batch was read, so more rows may be waiting
   */
  boolean pass() {
    record();
    List<AlertRow> rows = store.pendingAlerts(config.batchSize() + inFlight.size());
    List<AlertRow> fresh = new ArrayList<>();
    for (AlertRow row : rows) {
      if (fresh.size() < config.batchSize() && inFlight.add(row.id())) {
        fresh.add(row);
      }
    }
    if (!fresh.isEmpty()) {
      dispatch(fresh);
      record();
    }
    return fresh.size() == config.batchSize();
  }

  private void record() {
    Map<Long, String> outcomes = new LinkedHashMap<>();
    for (Map.Entry<Long, String> done; (done = finished.poll()) != null; ) {
      outcomes.put(done.getKey(), done.getValue());
    }
    if (outcomes.isEmpty()) {
      return;
    }
    try {
      store.alertsDelivered(outcomes, clock.instant());
    } catch (RuntimeException e) {
      outcomes.forEach((id, outcome) -> finished.add(Map.entry(id, outcome)));
      throw e;
    }
    inFlight.removeAll(outcomes.keySet());
  }

  private void finish(long rowId, String outcome) {
    String cut =
        outcome.length() > MAX_OUTCOME ? outcome.substring(0, MAX_OUTCOME - 1) + "…" : outcome;
    finished.add(Map.entry(rowId, cut));
    wakeUp();
  }

  /** The notifier messages of one pass, keyed so that task events of one run group together. */
  private record GroupKey(long runPk, Callback notifier, CallbackEvent event, long alertId) {}

  private static final class Group {
    final List<EventFacts> events = new ArrayList<>();
    final CompletableFuture<String> outcome = new CompletableFuture<>();
  }

  private void dispatch(List<AlertRow> rows) {
    Map<Long, List<AlertRow>> byRun = new LinkedHashMap<>();
    rows.forEach(row -> byRun.computeIfAbsent(row.runPk(), pk -> new ArrayList<>()).add(row));
    Map<GroupKey, Group> groups = new LinkedHashMap<>();
    Map<AlertRow, List<CompletableFuture<String>>> outcomes = new LinkedHashMap<>();
    byRun.forEach((runPk, runRows) -> resolveRun(runPk, runRows, groups, outcomes));
    groups.forEach(this::send);
    outcomes.forEach(
        (row, futures) ->
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenRun(
                    () -> finish(row.id(), combine(futures.stream().map(f -> f.join()).toList()))));
  }

  private void resolveRun(
      long runPk,
      List<AlertRow> rows,
      Map<GroupKey, Group> groups,
      Map<AlertRow, List<CompletableFuture<String>>> outcomes) {
    AlertRow sample = rows.get(0);
    Optional<DagRunRow> found = store.run(runPk);
    if (found.isEmpty()) {
      log.debug("Run {} of DAG {} is gone; its alerts are dropped", sample.runId(), sample.dagId());
      rows.forEach(row -> finish(row.id(), "suppressed: the run no longer exists"));
      return;
    }
    DagRunRow run = found.get();
    DagSpec dag;
    try {
      dag = dags.dag(run.versionId(), run.dagId());
    } catch (RuntimeException e) {
      log.warn(
          "Cannot load version {} of DAG {} for the alerts of run {}; they are marked failed",
          run.versionId(),
          run.dagId(),
          run.runId(),
          e);
      rows.forEach(
          row ->
              finish(
                  row.id(),
                  "failed: cannot load version "
                      + run.versionId()
                      + " of the DAG: "
                      + e.getMessage()));
      return;
    }
    if (dag == null) {
      rows.forEach(
          row ->
              finish(row.id(), "suppressed: version " + run.versionId() + " of the DAG is gone"));
      return;
    }
    Supplier<List<TaskInstanceRow>> instances = memo(() -> store.taskInstances(runPk));
    for (AlertRow row : rows) {
      List<Callback> callbacks = callbacks(row, dag);
      if (callbacks.isEmpty()) {
        log.debug(
            "No {} callbacks in version {} of DAG {} for {}; nothing to send",
            row.event().label(),
            run.versionId(),
            dag.id(),
            row.taskId() == null ? "its runs" : "task " + row.taskId());
        finish(row.id(), "sent");
        continue;
      }
      EventFacts event;
      try {
        event = facts.of(row, run, dag, instances);
      } catch (RuntimeException e) {
        log.warn(
            "Cannot read what the {} alert of run {} of DAG {} should say; it is marked failed",
            row.event().label(),
            row.runId(),
            row.dagId(),
            e);
        finish(row.id(), "failed: " + Deliveries.reason(e));
        continue;
      }
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (Callback callback : callbacks) {
        if (callback instanceof Callback.Code c) {
          String about = EventContext.prefix(event);
          futures.add(
              code.run(c.body(), new EventContext(event, messages.text(event), secrets), about));
        } else {
          GroupKey key =
              new GroupKey(runPk, callback, row.event(), row.event().taskLevel() ? 0 : row.id());
          Group group = groups.computeIfAbsent(key, k -> new Group());
          group.events.add(event);
          futures.add(group.outcome);
        }
      }
      outcomes.put(row, futures);
    }
  }

  private static List<Callback> callbacks(AlertRow row, DagSpec dag) {
    CallbackEvent event = row.event();
    if (event == CallbackEvent.DEADLINE_MISSED) {
      return dag.deadline().map(d -> d.onMiss()).orElse(List.of());
    }
    if (!event.taskLevel()) {
      return dag.runCallbacks().on(event);
    }
    return dag.task(row.taskId()).map(TaskSpec::callbacks).map(c -> c.on(event)).orElse(List.of());
  }

  private void send(GroupKey key, Group group) {
    Notifier notifier = notifier(key.notifier());
    EventFacts first = group.events.get(0);
    if (key.event().taskLevel()) {
      Map<Callback, Integer> sent =
          sentPerRun.computeIfAbsent(key.runPk(), pk -> new LinkedHashMap<>());
      int count = sent.getOrDefault(key.notifier(), 0);
      if (count >= config.maxMessagesPerRun()) {
        log.info(
            "Not sending {} {} alert(s) of run {} of DAG {} by {}: it sent the most messages per run"
                + " ({}, setting alerts.max-messages-per-run)",
            group.events.size(),
            key.event().label(),
            first.runId(),
            first.dagId(),
            notifier.describe(),
            config.maxMessagesPerRun());
        Counter.builder("weir.alerts.suppressed")
            .description("Alerts not sent because their run reached the most messages per run")
            .tag("notifier", notifier.kind())
            .register(meters)
            .increment(group.events.size());
        group.outcome.complete(
            "suppressed: "
                + notifier.describe()
                + " sent the most messages per run ("
                + config.maxMessagesPerRun()
                + ")");
        return;
      }
      sent.put(key.notifier(), count + 1);
    }
    try {
      Message message = messages.of(group.events, subjectOf(key.notifier()));
      deliveries.deliver(notifier, message).thenAccept(group.outcome::complete);
    } catch (RuntimeException e) {
      log.warn(
          "Cannot write the {} alert of run {} of DAG {}",
          key.event().label(),
          first.runId(),
          first.dagId(),
          e);
      countFailure(notifier.kind());
      group.outcome.complete("failed: " + notifier.describe() + ": " + Deliveries.reason(e));
    }
  }

  private static String subjectOf(Callback callback) {
    return callback instanceof Callback.Email email ? email.subject() : null;
  }

  private Notifier notifier(Callback callback) {
    if (callback instanceof Callback.Email email) {
      return new EmailNotifier(email, secrets, settings, config.smtpTimeout(), clock);
    }
    if (callback instanceof Callback.Webhook webhook) {
      return new WebhookNotifier(webhook, secrets, http, config.webhookTimeout());
    }
    throw new IllegalArgumentException("not a notifier: " + callback);
  }

  /**
   * The outcome of a row from those of its callbacks: {@code sent} when all were sent, else the
   * failures (and suppressions) joined.
   */
  static String combine(List<String> outcomes) {
    List<String> failed = new ArrayList<>();
    List<String> suppressed = new ArrayList<>();
    for (String outcome : outcomes) {
      if (outcome.startsWith("failed: ")) {
        failed.add(outcome.substring("failed: ".length()));
      } else if (outcome.startsWith("suppressed: ")) {
        suppressed.add(outcome.substring("suppressed: ".length()));
      }
    }
    if (!failed.isEmpty()) {
      List<String> all = new ArrayList<>(failed);
      suppressed.forEach(s -> all.add("suppressed: " + s));
      return "failed: " + String.join("; ", all);
    }
    return suppressed.isEmpty() ? "sent" : "suppressed: " + String.join("; ", suppressed);
  }

  private void countFailure(String kind) {
    failures(kind).increment();
  }

  private Counter failures(String kind) {
    return Counter.builder("weir.notifier.failures")
        .description("Alert messages and code callbacks that failed all their tries")
        .tag("notifier", kind)
        .register(meters);
  }

  private static <T> Supplier<T> memo(Supplier<T> supplier) {
    Object[] value = {null};
    return () -> {
      if (value[0] == null) {
        value[0] = supplier.get();
      }
      @SuppressWarnings("unchecked")
      T t = (T) value[0];
      return t;
    };
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
