package dev.weir.model;

/** Writes lines to a task try's log; {@code {}} placeholders are filled from the arguments. */
public interface TaskLogger {
  void debug(String message, Object... args);

  void info(String message, Object... args);

  void warn(String message, Object... args);

  void error(String message, Object... args);
}
