package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.scheduler.SchedulerDaemon;
import dev.weir.store.Database;
import dev.weir.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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
    })
final class SchedulerCommand implements Callable<Integer> {
  @Mixin DagsFolderOptions folder;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return run(spec, folder, "scheduler", null);
  }

  @Command(
      name = "standalone",
      description = {
        "Run all of Weir in one process until stopped: the scheduler and the web server.",
        "On a home without users it creates user admin and prints its password once."
      })
  static final class Standalone implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin WebOptions web;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(spec, folder, "standalone", web);
    }
  }

  /** Starts a scheduler daemon and blocks until a shutdown hook or an interrupt stops it. */
  static int run(CommandSpec spec, DagsFolderOptions folder, String what, WebOptions web) {
    Path dags = folder.folder();
    Settings settings = WeirHome.settings(spec);
    String url;
    // Connects and migrates first, so that an unreachable database fails here in one line.
    try (Database database = Database.open(settings)) {
      url = database.url();
    }
    SchedulerDaemon daemon =
        new SchedulerDaemon(
            settings,
            SchedulerDaemon.Options.from(settings, dags, folder.parsing()),
            Clock.systemUTC());
    try {
      daemon.start(); // a start that fails closes what it opened
    } catch (IllegalStateException e) {
      throw new CliException(CliException.FAILED, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    WebServer server = null;
    if (web != null) {
      try {
        WebCommand.createFirstAdmin(daemon.database(), Clock.systemUTC(), out);
        server =
            WebCommand.start(
                settings,
                daemon.database(),
                daemon.store(),
                daemon.dagBag(),
                Clock.systemUTC(),
                web);
      } catch (RuntimeException e) {
        daemon.close();
        throw new CliException(CliException.FAILED, e.getMessage());
      }
    }
    WebServer webServer = server;
    Runnable stop =
        () -> {
          if (webServer != null) {
            webServer.close(); // first, so that no request reaches a closed store
          }
          daemon.close();
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
            + ". Stop with Ctrl-C or SIGTERM.");
    out.flush();
    Foreground.run("weir-shutdown", stop, daemon::awaitStop);
    return 0;
  }
}
