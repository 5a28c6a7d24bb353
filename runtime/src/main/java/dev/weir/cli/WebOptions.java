package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.web.WebServer;
import picocli.CommandLine.Option;

/** Where the web server listens: options over the settings web.host and web.port. */
final class WebOptions {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The web server's port (default: setting web.port, else 8080; 0 for any).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "The address to listen on (default: setting web.host, else 0.0.0.0: every address).")
  String host;

  int port(Settings settings) {
    return port != null ? port : settings.positiveInt(WebServer.PORT, WebServer.DEFAULT_PORT);
  }

  String host(Settings settings) {
    return host != null ? host : settings.get(WebServer.HOST, "0.0.0.0");
  }
}
