package dev.weir.web;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.health.HealthCheck;
import dev.weir.metrics.Metrics;
import dev.weir.scheduler.RunRequests;
import dev.weir.secrets.SecretsStore;
import dev.weir.store.MetadataStore;
import dev.weir.users.UserStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the web server's pages and API work on: the metadata store, users, connections and
 * variables, the loaded DAGs (the scheduler's own in {@code weir standalone}), the clock, and the
 * process's metrics that {@code /metrics} shows.
 */
public record WebServices(
    Settings settings,
    MetadataStore store,
    UserStore users,
    SecretsStore secrets,
    DagBag dags,
    Clock clock,
    Metrics metrics) {

  /** Services with metrics of their own (the JVM's only). */
  public WebServices(
      Settings settings,
      MetadataStore store,
      UserStore users,
      SecretsStore secrets,
      DagBag dags,
      Clock clock) {
    this(settings, store, users, secrets, dags, clock, new Metrics());
  }

  /** What {@code /health} answers. */
  public HealthCheck health() {
    return HealthCheck.of(settings, store, clock);
  }

  /** Requests to the scheduler: trigger, clear, mark. */
  public RunRequests requests() {
    return new RunRequests(store, clock);
  }

  /** Where task logs are: {@code <logs>/<dag>/<run>/<task>/<try>.log}. */
  public Path logsFolder() {
    return settings.logsFolder();
  }
}
