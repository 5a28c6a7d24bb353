package dev.weir.executor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProcessRunner} runs.
 *
 * @param command the program and its arguments, e.g. {@code ["bash", "-c", script]}
 * @param environment variables added to (or replacing) the inherited environment; null means none
 * @param workingDirectory where the process runs; null means a fresh temporary folder that is
 *     deleted afterwards
 * @param timeout how long the process may run before its process tree is killed; null means no
 *     limit
 */
public record ProcessSpec(
    List<String> command,
    Map<String, String> environment,
    Path workingDirectory,
    Duration timeout) {

  /** Validates and copies the arguments. */
  public ProcessSpec {
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }
}
