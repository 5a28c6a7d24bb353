package dev.weir.scheduler;

import dev.weir.alerts.AlertDispatcher;
import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.dagbag.DagFolderWatcher;
import dev.weir.dagbag.GitHead;
import dev.weir.dagbag.RefreshResult;
import dev.weir.metrics.DagParsingMetrics;
import dev.weir.metrics.MeterSchedulerMetrics;
import dev.weir.metrics.Metrics;
import dev.weir.run.TaskRunner;
import dev.weir.run.TaskServices;
import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.Secrets;
import dev.weir.secrets.SecretsStore;
import dev.weir.sensors.SensorSupport;
import dev.weir.sensors.Sleeper;
import dev.weir.sensors.StoreRunLookup;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.Lease;
import dev.weir.store.MetadataStore;
import dev.weir.store.WorkerRow;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler process: takes the store's lease, loads and watches the DAG folder, recovers what a
 * previous process left unfinished, and runs the loop with its worker pool until stopped. A stop
 * (SIGTERM) drains: nothing new starts, running tries get a grace period to finish.
 */
public final class SchedulerDaemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerDaemon.class);

  /** The settings this process reads, with their defaults. */
  public record Options(
      Path dagsFolder,
      int slots,
      Duration tickInterval,
      Duration drainGrace,
      DagBagOptions parsing,
      int xcomMaxBytes,
      int maxMapLength) {

    /** Options with the default XCom size and map length limits. */
    public Options(
        Path dagsFolder,
        int slots,
        Duration tickInterval,
        Duration drainGrace,
        DagBagOptions parsing) {
      this(
          dagsFolder,
          slots,
          tickInterval,
          drainGrace,
          parsing,
          TaskRunner.DEFAULT_XCOM_MAX_BYTES,
          SchedulerCore.DEFAULT_MAX_MAP_LENGTH);
    }

    public static Options from(Settings settings, Path dagsFolder, DagBagOptions parsing) {
      return new Options(
          dagsFolder,
          settings.positiveInt("parallelism", 16),
          settings.duration("scheduler.tick", Duration.ofSeconds(1)),
          settings.duration("scheduler.drain-grace", Duration.ofSeconds(30)),
          parsing,
          settings.positiveInt("xcom.max-bytes", TaskRunner.DEFAULT_XCOM_MAX_BYTES),
          settings.positiveInt("mapping.max-length", SchedulerCore.DEFAULT_MAX_MAP_LENGTH));
    }
  }

  private final Settings settings;
  private final Options options;
  private final Clock clock;
  private final String schedulerId = UUID.randomUUID().toString();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Metrics metrics;
  private final boolean ownsMetrics;
  private Instant startedAt;
  private Database database;
  private MetadataStore store;
  private DagBag bag;
  private DagFolderWatcher watcher;
  private WorkerPool workers;
  private SchedulerLoop loop;
  private AlertDispatcher alerts;
  private boolean closed;
  private boolean leaseHeld;

  /** A daemon with metrics of its own. */
  public SchedulerDaemon(Settings settings, Options options, Clock clock) {
    this(settings, options, clock, new Metrics(), true);
  }

  /**
   * A daemon that records its metrics into the process's; the caller closes {@code metrics} after
   * the daemon.
   */
  public SchedulerDaemon(Settings settings, Options options, Clock clock, Metrics metrics) {
    this(settings, options, clock, metrics, false);
  }

  private SchedulerDaemon(
      Settings settings, Options options, Clock clock, Metrics metrics, boolean ownsMetrics) {
    this.settings = settings;
    this.options = options;
    this.clock = clock;
    this.metrics = metrics;
    this.ownsMetrics = ownsMetrics;
  }

  /**
   * Starts scheduling.
   *
   * @throws IllegalStateException when another scheduler is live on the same store
   */
  public synchronized void start() {
    try {
      startParts();
    } catch (RuntimeException | Error e) {
      close(); // releases what did start: the pool, the database file, the lease
      throw e;
    }
  }

  private void startParts() {
    database = Database.open(settings);
    store = new JdbcMetadataStore(database);
    takeLease();
    startedAt = clock.instant();
    forgetDeadWorkers();
    DagParsingMetrics parsing = new DagParsingMetrics(metrics.registry());
    bag =
        new DagBag(
            options.dagsFolder(),
            options.parsing(),
            clock,
            dev.weir.plugins.PluginFolder.classLoader(
                settings.pluginsFolder(), DagBag.class.getClassLoader()));
    RefreshResult first = bag.refresh();
    parsing.refreshed(first);
    log.info(
        "Loaded {} DAGs from {} ({} import errors) in {} ms",
        first.dagCount(),
        options.dagsFolder(),
        first.importErrorCount(),
        first.took().toMillis());
    // Connections and variables: WEIR_CONN_*/WEIR_VAR_* over the store's, cached (see Secrets).
    Secrets secrets =
        Secrets.of(
            settings.environment(),
            new SecretsStore(database, new SecretCipher(MasterKey.from(settings))));
    workers =
        new WorkerPool(
            options.slots(),
            new TaskRunner(
                new dev.weir.executor.CodeRunner(),
                new dev.weir.executor.ProcessRunner(),
                TaskServices.of(
                    secrets::connection, secrets::variable, new StoreXComs(store), secrets::mask),
                options.xcomMaxBytes(),
                new SensorSupport(
                    clock, Sleeper.THREAD, new StoreRunLookup(() -> store, bag, clock)),
                new dev.weir.operators.Operators(clock)),
            clock);
    String hostname = Leases.hostname();
    Path folder = options.dagsFolder();
    SchedulerCore core =
        new SchedulerCore(
            store,
            bag,
            workers,
            clock,
            settings.logsFolder(),
            schedulerId,
            hostname,
            () -> GitHead.commit(folder));
    core.maxMapLength(options.maxMapLength());
    core.metrics(new MeterSchedulerMetrics(metrics.registry()));
    alerts =
        new AlertDispatcher(
            store,
            core::dagOfVersion,
            settings,
            clock,
            settings.logsFolder(),
            secrets,
            metrics.registry());
    core.onAlerts(alerts::wakeUp);
    core.recover();
    alerts.start(); // delivers what a previous process left in the outbox, too
    loop = new SchedulerLoop(core, clock, options.tickInterval(), this::renewLease);
    loop.start();
    watcher =
        DagFolderWatcher.start(
            options.dagsFolder(),
            () -> {
              RefreshResult result = bag.refresh();
              parsing.refreshed(result);
              if (result.changedAnything() || !result.failed().isEmpty()) {
                core.dagsChanged();
              }
            });
    log.info(
        "Scheduler {} started with {} worker slots on {}",
        schedulerId,
        options.slots(),
        database.url());
  }

  private void takeLease() {
    Instant now = clock.instant();
    Lease mine = new Lease(schedulerId, Leases.hostname(), ProcessHandle.current().pid(), now, now);
    Optional<Lease> current = store.lease();
    if (current.isPresent() && Leases.isAlive(current.get(), now)) {
      Lease other = current.get();
      throw new IllegalStateException(
          "another scheduler runs on this store: pid "
              + other.pid()
              + " on "
              + other.hostname()
              + ", started "
              + other.startedAt()
              + "; stop it first");
    }
    if (!store.acquireLease(mine, current)) {
      throw new IllegalStateException(
          "another scheduler took this store's lease at the same moment; try again");
    }
    leaseHeld = true;
    current.ifPresent(
        dead ->
            log.warn(
                "Took over from scheduler pid {} on {}, which stopped without releasing the store",
                dead.pid(),
                dead.hostname()));
  }

  private void renewLease() {
    Instant now = clock.instant();
    if (!store.renewLease(schedulerId, now)) {
      log.error("This scheduler lost its lease to another one; stopping");
      new Thread(this::close, "weir-lease-lost").start();
      return;
    }
    // The worker pool lives in this process: its heartbeat is the scheduler's, with its load.
    store.saveWorker(
        new WorkerRow(
            schedulerId,
            Leases.hostname(),
            ProcessHandle.current().pid(),
            workers.slots(),
            workers.running(),
            startedAt,
            now));
  }

  // Worker pools run inside schedulers: once this one holds the lease, the pools whose heartbeat
  // stopped belong to schedulers that are gone, and would be reported unhealthy forever.
  private void forgetDeadWorkers() {
    Instant now = clock.instant();
    for (WorkerRow worker : store.workers()) {
      if (!Leases.isAlive(worker.hostname(), worker.pid(), worker.heartbeatAt(), now)) {
        log.info(
            "Forgetting worker {} (pid {} on {}), gone since {}",
            worker.workerId(),
            worker.pid(),
            worker.hostname(),
            worker.heartbeatAt());
        store.removeWorker(worker.workerId());
      }
    }
  }

  private void drain() {
    log.info("Stopping: waiting up to {} s for running tries", options.drainGrace().toSeconds());
    // An interrupted caller still closes everything; it only loses the grace period.
    boolean interrupted = Thread.interrupted();
    try {
      if (!workers.drain(options.drainGrace())) {
        log.warn("Tries still running after the grace period were stopped; they will retry");
      }
    } catch (InterruptedException e) {
      interrupted = true;
      log.warn("Stopping was interrupted; running tries were stopped and will retry");
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** The store this daemon uses; for the web server running in the same process. */
  public MetadataStore store() {
    return store;
  }

  /** The database this daemon uses; for the web server running in the same process. */
  public Database database() {
    return database;
  }

  /** The DAGs this daemon loaded and keeps loading; for the web server in the same process. */
  public DagBag dagBag() {
    return bag;
  }

  /** The process's metrics this daemon records into. */
  public Metrics metrics() {
    return metrics;
  }

  /** The registry of {@link #metrics()}: for other parts of the process to add their meters. */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /**
   * Stops: nothing new starts, running tries get the drain grace period, their ends are recorded,
   * then the lease is released.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (watcher != null) {
        watcher.close();
      }
      if (loop != null) {
        loop.stopStarting();
        drain();
        loop.close();
      }
      if (workers != null) {
        workers.close();
      }
      if (alerts != null) {
        alerts.close(); // what it has not delivered stays in the outbox for the next start
      }
      if (bag != null) {
        bag.close();
      }
      if (store != null) {
        if (leaseHeld) {
          store.removeWorker(schedulerId);
          store.releaseLease(schedulerId);
        }
        store.close();
      }
      if (database != null) {
        database.close();
      }
      if (ownsMetrics) {
        metrics.close();
      }
      log.info("Scheduler {} stopped", schedulerId);
    } catch (RuntimeException e) {
      log.error("Stopping the scheduler failed; the next one takes over its work", e);
    } finally {
      stopped.countDown();
    }
  }
}
