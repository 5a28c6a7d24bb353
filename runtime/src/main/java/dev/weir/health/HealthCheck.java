package dev.weir.health;

import dev.weir.config.Settings;
import dev.weir.scheduler.Leases;
import dev.weir.store.Lease;
import dev.weir.store.MetadataStore;
import dev.weir.store.WorkerRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether this Weir works: the metadata database answers, a scheduler holds its lease, the worker
 * pools beat their hearts. Answers 503 when the database does not answer, or when no scheduler is
 * alive and {@value #REQUIRE_SCHEDULER} is true; else 200, with every problem in {@code reasons}.
 */
public final class HealthCheck {
  /**
   * Whether a missing scheduler makes the answer a 503 (default false: a webserver may be alone).
   */
  public static final String REQUIRE_SCHEDULER = "health.require-scheduler";

  private final MetadataStore store;
  private final Clock clock;
  private final boolean requireScheduler;

  public HealthCheck(MetadataStore store, Clock clock, boolean requireScheduler) {
    this.store = store;
    this.clock = clock;
    this.requireScheduler = requireScheduler;
  }

  /** A check that reads {@value #REQUIRE_SCHEDULER} from the settings. */
  public static HealthCheck of(Settings settings, MetadataStore store, Clock clock) {
    String require = settings.get(REQUIRE_SCHEDULER, "false").strip();
    if (!require.equals("true") && !require.equals("false")) {
      throw new Settings.SettingsException(REQUIRE_SCHEDULER, require, "true or false");
    }
    return new HealthCheck(store, clock, Boolean.parseBoolean(require));
  }

  public HealthReport check() {
    Instant now = clock.instant();
    List<String> reasons = new ArrayList<>();
    Map<String, Object> database = new LinkedHashMap<>();
    Map<String, Object> scheduler = new LinkedHashMap<>();
    List<Map<String, Object>> workers = new ArrayList<>();
    Optional<Lease> lease;
    List<WorkerRow> workerRows;
    try {
      lease = store.lease();
      workerRows = store.workers();
    } catch (RuntimeException e) {
      String reason = "the metadata database does not answer: " + e.getMessage();
      database.put("status", "unhealthy");
      database.put("reason", reason);
      reasons.add(reason);
      scheduler.put("status", "unhealthy");
      scheduler.put("latest_heartbeat", null);
      scheduler.put("reason", "unknown while the metadata database does not answer");
      return report(503, reasons, database, scheduler, workers);
    }
    database.put("status", "healthy");

    Optional<String> schedulerProblem = schedulerProblem(lease, now);
    scheduler.put("status", schedulerProblem.isEmpty() ? "healthy" : "unhealthy");
    scheduler.put("latest_heartbeat", lease.map(Lease::heartbeatAt).orElse(null));
    schedulerProblem.ifPresent(
        problem -> {
          scheduler.put("reason", problem);
          reasons.add(problem);
        });

    for (WorkerRow row : workerRows) {
      Map<String, Object> worker = new LinkedHashMap<>();
      worker.put("id", row.workerId());
      worker.put("hostname", row.hostname());
      worker.put("slots", row.slots());
      worker.put("running", row.running());
      worker.put("latest_heartbeat", row.heartbeatAt());
      Optional<String> problem = workerProblem(row, now);
      worker.put("status", problem.isEmpty() ? "healthy" : "unhealthy");
      problem.ifPresent(
          reason -> {
            worker.put("reason", reason);
            reasons.add(reason);
          });
      workers.add(worker);
    }
    boolean unavailable = requireScheduler && schedulerProblem.isPresent();
    return report(unavailable ? 503 : 200, reasons, database, scheduler, workers);
  }

  private static Optional<String> schedulerProblem(Optional<Lease> lease, Instant now) {
    if (lease.isEmpty()) {
      return Optional.of("no scheduler runs: none holds the metadata database's lease");
    }
    Lease held = lease.get();
    if (Leases.isStale(held.heartbeatAt(), now)) {
      return Optional.of(
          "the scheduler (pid "
              + held.pid()
              + " on "
              + held.hostname()
              + ") last renewed its lease at "
              + held.heartbeatAt()
              + ", more than "
              + Leases.TIMEOUT.toSeconds()
              + " s ago");
    }
    if (!Leases.isAlive(held, now)) {
      return Optional.of(
          "the scheduler (pid " + held.pid() + " on " + held.hostname() + ") no longer runs");
    }
    return Optional.empty();
  }

  private static Optional<String> workerProblem(WorkerRow worker, Instant now) {
    String who =
        "worker " + worker.workerId() + " (pid " + worker.pid() + " on " + worker.hostname() + ")";
    if (Leases.isStale(worker.heartbeatAt(), now)) {
      return Optional.of(
          who
              + " last beat its heart at "
              + worker.heartbeatAt()
              + ", more than "
              + Leases.TIMEOUT.toSeconds()
              + " s ago");
    }
    if (!Leases.isAlive(worker.hostname(), worker.pid(), worker.heartbeatAt(), now)) {
      return Optional.of(who + " no longer runs");
    }
    return Optional.empty();
  }

  private static HealthReport report(
      int httpStatus,
      List<String> reasons,
      Map<String, Object> database,
      Map<String, Object> scheduler,
      List<Map<String, Object>> workers) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", reasons.isEmpty() ? "healthy" : "unhealthy");
    body.put("metadatabase", database);
    body.put("scheduler", scheduler);
    body.put("workers", workers);
    body.put("reasons", reasons);
    return new HealthReport(httpStatus, body);
  }
}
