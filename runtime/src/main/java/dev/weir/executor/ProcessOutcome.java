package dev.weir.executor;

import java.time.Duration;

/**
 * How a process run by {@link ProcessRunner} ended.
 *
 * @param exitCode the exit code of the command; when it was killed by a signal, 128 plus the signal
 *     number (143 for SIGTERM, 137 for SIGKILL)
 * @param timedOut whether the timeout expired and the process tree was killed
 * @param duration from start until the command ended or was killed
 * @param lastOutputLine the last line the process wrote to stdout or stderr, or null if none
 */
public record ProcessOutcome(
    int exitCode, boolean timedOut, Duration duration, String lastOutputLine) {

  /** Whether the command exited with 0 and did not time out. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
