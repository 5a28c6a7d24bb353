package dev.weir.scheduler;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBagOptions;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A scheduler process for tests that start, kill and restart a real JVM: {@code DaemonMain
 * DAGS_FOLDER}, with WEIR_HOME from the environment. Stops (draining) on SIGTERM.
 */
public final class DaemonMain {
  private DaemonMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromEnvironment();
    SchedulerDaemon daemon =
        new SchedulerDaemon(
            settings,
            SchedulerDaemon.Options.from(settings, Path.of(args[0]), DagBagOptions.defaults()),
            Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "weir-shutdown"));
    daemon.start();
    System.out.println("started");
    daemon.awaitStop();
  }
}
