package dev.weir.alerts;

import dev.weir.config.Settings;
import dev.weir.web.WebServer;
import java.time.Duration;

/**
 * The {@code alerts.*}, {@code smtp.*} and {@code web.base-url} settings of alert delivery, read
 * and checked once.
 *
 * @param attempts how many times a notifier is tried in all ({@code alerts.retries})
 * @param baseUrl where links in messages point, without a trailing {@code /}
 */
record AlertSettings(
    Duration pollInterval,
    Duration callbackTimeout,
    Duration webhookTimeout,
    Duration smtpTimeout,
    int logLines,
    int attempts,
    Duration retryDelay,
    int maxMessagesPerRun,
    int threads,
    int batchSize,
    String baseUrl) {

  static AlertSettings from(Settings settings) {
    String base =
        settings
            .get("web.base-url")
            .orElse(
                "http://localhost:"
                    + settings.get(WebServer.PORT, Integer.toString(WebServer.DEFAULT_PORT)));
    return new AlertSettings(
        positive(settings, "alerts.poll-interval", Duration.ofSeconds(2)),
        positive(settings, "alerts.callback-timeout", Duration.ofSeconds(60)),
        positive(settings, "alerts.webhook-timeout", Duration.ofSeconds(10)),
        positive(settings, "smtp.timeout", Duration.ofSeconds(30)),
        settings.positiveInt("alerts.log-lines", 20),
        settings.positiveInt("alerts.retries", 3),
        positive(settings, "alerts.retry-delay", Duration.ofSeconds(2)),
        settings.positiveInt("alerts.max-messages-per-run", 10),
        settings.positiveInt("alerts.threads", 4),
        settings.positiveInt("alerts.batch-size", 500),
        base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
  }

  private static Duration positive(Settings settings, String key, Duration fallback) {
    Duration value = settings.duration(key, fallback);
    if (value.isNegative() || value.isZero()) {
      throw new Settings.SettingsException(key, value.toString(), "a duration above zero");
    }
    return value;
  }
}
