package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.metrics.MetricsServer;
import dev.weir.web.WebServer;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the scheduler serves /metrics and /health: options over metrics.port and metrics.host. */
final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve /metrics (API token needed) and /health on this port; 0 for any free port"
              + " (default: setting metrics.port, else none).")
  Integer port;

  @Option(
      names = "--metrics-host",
      paramLabel = "HOST",
      description =
          "The address the metrics port listens on (default: setting metrics.host, else the web"
              + " server's, else 0.0.0.0).")
  String host;

  /** The port to serve metrics on, or empty for none. */
  Optional<Integer> port(Settings settings) {
    if (port != null) {
      if (!isPort(port)) {
        throw new CliException(
            CliException.USAGE, "--metrics-port is " + port + "; expected a port from 0 to 65535");
      }
      return Optional.of(port);
    }
    return settings.get(MetricsServer.PORT).map(MetricsOptions::checkedSetting);
  }

  String host(Settings settings) {
    if (host != null) {
      return host;
    }
    return settings.get(MetricsServer.HOST, settings.get(WebServer.HOST, "0.0.0.0"));
  }

  private static int checkedSetting(String value) {
    try {
      int number = Integer.parseInt(value.strip());
      if (isPort(number)) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Settings.SettingsException(MetricsServer.PORT, value, "a port from 0 to 65535");
  }

  private static boolean isPort(int number) {
    return number >= 0 && number <= 65535;
  }
}
