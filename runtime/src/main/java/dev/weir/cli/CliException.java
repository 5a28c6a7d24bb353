package dev.weir.cli;

/** Ends a command with an exit code and one line for standard error. */
final class CliException extends RuntimeException {
  static final int FAILED = 1;
  static final int USAGE = 2;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
