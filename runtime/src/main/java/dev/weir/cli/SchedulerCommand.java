package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.health.HealthCheck;
import dev.weir.metrics.Metrics;
import dev.weir.metrics.MetricsServer;
import dev.weir.scheduler.SchedulerDaemon;
import dev.weir.store.Database;
import dev.weir.users.UserStore;
import dev.weir.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "scheduler",
    description = {
      "Run the scheduler until stopped.",
      "Loads and watches the DAGs folder, creates runs when they are due and runs their tasks."
          + " One scheduler per metadata database. SIGTERM or Ctrl-C drains: nothing new starts,"
          + " running tasks get the grace period scheduler.drain-grace to finish."
          + " With --metrics-port (or setting metrics.port) it serves /metrics and /health."
    })
final class SchedulerCommand implements Callable<Integer> {
  @Mixin DagsFolderOptions folder;
  @Mixin MetricsOptions metrics;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return run(spec, folder, "scheduler", null, metrics);
  }

  @Command(
      name = "standalone",
      description = {
        "Run all of Weir in one process until stopped: the scheduler and the web server.",
        "On a home without users it creates user admin and prints its password once."
            + " The web server serves /metrics; --metrics-port adds a port of its own."
      })
  static final class Standalone implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin WebOptions web;
    @Mixin MetricsOptions metrics;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(spec, folder, "standalone", web, metrics);
    }
  }

  /** Starts a scheduler daemon and blocks until a shutdown hook or an interrupt stops it. */
  static int run(
      CommandSpec spec,
      DagsFolderOptions folder,
      String what,
      WebOptions web,
      MetricsOptions metricsOptions) {
    Path dags = folder.folder();
    Settings settings = WeirHome.settings(spec);
    Optional<Integer> metricsPort = metricsOptions.port(settings);
    String metricsHost = metricsOptions.host(settings);
    String url;
    // Connects and migrates first, so that an unreachable database fails here in one line.
    try (Database database = Database.open(settings)) {
      url = database.url();
    }
    Clock clock = Clock.systemUTC();
    // One registry for the process: the scheduler's meters and the web server's /metrics.
    Metrics metrics = new Metrics();
    SchedulerDaemon daemon =
        new SchedulerDaemon(
            settings,
            SchedulerDaemon.Options.from(settings, dags, folder.parsing()),
            clock,
            metrics);
    try {
      daemon.start(); // a start that fails closes what it opened
    } catch (IllegalStateException e) {
      metrics.close();
      throw new CliException(CliException.FAILED, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    WebServer server = null;
    MetricsServer metricsServer = null;
    try {
      if (web != null) {
        WebCommand.createFirstAdmin(daemon.database(), clock, out);
        server =
            WebCommand.start(
                settings, daemon.database(), daemon.store(), daemon.dagBag(), clock, web, metrics);
      }
      if (metricsPort.isPresent()) {
        metricsServer =
            MetricsServer.start(
                metrics,
                new UserStore(daemon.database()),
                HealthCheck.of(settings, daemon.store(), clock),
                clock,
                metricsHost,
                metricsPort.get());
      }
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      daemon.close();
      metrics.close();
      throw new CliException(CliException.FAILED, e.getMessage());
    }
    WebServer webServer = server;
    MetricsServer metricsPortServer = metricsServer;
    Runnable stop =
        () -> {
          // The servers first, so that no request reaches a closed store.
          if (webServer != null) {
            webServer.close();
          }
          if (metricsPortServer != null) {
            metricsPortServer.close();
          }
          daemon.close();
          metrics.close();
        };
    out.println(
        "Weir "
            + what
            + " running: WEIR_HOME "
            + settings.home()
            + ", database "
            + url
            + ", DAGs folder "
            + dags
            + (webServer == null
                ? ""
                : ", web UI http://"
                    + WebCommand.displayHost(web.host(settings))
                    + ":"
                    + webServer.port())
            + (metricsPortServer == null
                ? ""
                : ", metrics http://"
                    + WebCommand.displayHost(metricsHost)
                    + ":"
                    + metricsPortServer.port()
                    + "/metrics")
            + ". Stop with Ctrl-C or SIGTERM.");
    out.flush();
    Foreground.run("weir-shutdown", stop, daemon::awaitStop);
    return 0;
  }
}
