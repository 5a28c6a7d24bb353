package dev.weir.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * The metrics of one process: a Prometheus registry with the JVM's and the process's meters. One
 * per process, shared by its parts (in {@code weir standalone}, the scheduler and the web server).
 */
public final class Metrics implements AutoCloseable {
  /**
   * Counts alerts a notifier could not deliver, tagged {@code notifier}; shown as {@code
   * weir_notifier_failures_total}.
   */
  public static final String NOTIFIER_FAILURES = "weir.notifier.failures";

  /** The notifiers whose failure series exist from the start, at 0. */
  public static final List<String> NOTIFIERS = List.of("email", "webhook", "code");

  /** Prometheus text format 0.0.4, the default. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** OpenMetrics text 1.0.0, for a client that asks for it. */
  public static final String OPEN_METRICS_TEXT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    // Micrometer would drop a counter registered under the name Prometheus shows for it.
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                String name = id.getName();
                return name.equals("weir_notifier_failures_total")
                        || name.equals("weir_notifier_failures")
                    ? id.withName(NOTIFIER_FAILURES)
                    : id;
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    // So that a rate() or an alert on failures sees a series before the first failure.
    for (String notifier : NOTIFIERS) {
      notifierFailures(registry, notifier);
    }
  }

  /** The registry to add meters to. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The failure counter of a notifier ({@code email}, {@code webhook}, {@code code}). */
  public static Counter notifierFailures(MeterRegistry registry, String notifier) {
    return Counter.builder(NOTIFIER_FAILURES)
        .description("Alerts a notifier could not deliver")
        .tag("notifier", notifier)
        .register(registry);
  }

  /**
   * Every meter in the exposition format the client accepts: OpenMetrics when its {@code Accept}
   * header asks for it, else Prometheus text 0.0.4.
   */
  public Scrape scrape(String accept) {
    String contentType =
        accept != null && accept.contains("application/openmetrics-text")
            ? OPEN_METRICS_TEXT
            : PROMETHEUS_TEXT;
    return new Scrape(contentType, registry.scrape(contentType));
  }

  /** A scrape's body and its content type. */
  public record Scrape(String contentType, String body) {}

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
