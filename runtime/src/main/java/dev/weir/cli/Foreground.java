package dev.weir.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a long-running command (scheduler, web server, standalone) in the foreground until SIGTERM,
 * Ctrl-C, the JVM's shutdown or an interrupt stops it, and stops it once.
 */
final class Foreground {
  private Foreground() {}

  /** Waits for the command's own end, such as a daemon that stopped by itself. */
  @FunctionalInterface
  interface Wait {
    void await() throws InterruptedException;
  }

  /**
   * Runs {@code stop} (once) when a signal or shutdown comes or {@code stopped} returns, and
   * returns after it. An interrupt of the calling thread (a test) stops as SIGTERM would.
   */
  static void run(String name, Runnable stop, Wait stopped) {
    AtomicBoolean done = new AtomicBoolean();
    Runnable once =
        () -> {
          if (done.compareAndSet(false, true)) {
            stop.run();
          }
        };
    Thread hook = new Thread(once, name);
    Runtime.getRuntime().addShutdownHook(hook);
    StopSignals.onStop(once);
    boolean interrupted = false;
    try {
      stopped.await();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      once.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is what stopped it.
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
