package dev.weir.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop. Left to the JVM, they would start its shutdown,
 * where the embedded database closes itself in its own hook, racing the daemon's drain; handled
 * here, the daemon drains first and the process exits after.
 */
final class StopSignals {
  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  static void onStop(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              log.info("SIG{}: stopping", name);
              new Thread(stop, "weir-stop").start();
            });
      } catch (IllegalArgumentException e) {
        // The platform does not have this signal, or the JVM reserves it: its shutdown hook stays.
        log.debug("Cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
  }
}
