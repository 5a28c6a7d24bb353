package dev.weir.executor;

import dev.weir.model.TaskLogger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * The log file of one task try. Every line is written and flushed as it arrives, so that a reader
 * tailing the file sees it live. Thread-safe: lines from several threads never interleave.
 *
 * <p>{@link #info}, {@link #warn} and {@link #error} write {@code 2025-01-01T03:00:00.123Z INFO
 * message} with slf4j-style {@code {}} placeholders; a trailing {@link Throwable} argument is
 * written as a stack trace. {@link #output} writes a child process's line as it is. The file is
 * opened for appending, so reopening a try's log keeps what was there. A masker given at opening
 * rewrites every line, message or output, before it reaches the file or the echo.
 */
public final class TaskLog implements TaskLogger, AutoCloseable {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final Clock clock;
  private final Consumer<String> echo;
  private final UnaryOperator<String> masker;
  private final Writer writer;
  private boolean closed;

  /** Opens (creating parent folders) the log file, without echo. */
  public TaskLog(Path file, Clock clock) throws IOException {
    this(file, clock, null);
  }

  /**
   * Opens (creating parent folders) the log file.
   *
   * @param echo receives every line too (without line terminator), e.g. to print it live; nullable
   */
  public TaskLog(Path file, Clock clock, Consumer<String> echo) throws IOException {
    this(file, clock, echo, UnaryOperator.identity());
  }

  /**
   * Opens (creating parent folders) the log file.
   *
   * @param echo receives every line too (without line terminator), e.g. to print it live; nullable
   * @param masker rewrites every line before it is written or echoed, such as {@link
   *     dev.weir.run.TaskServices#mask} hiding secrets
   */
  public TaskLog(Path file, Clock clock, Consumer<String> echo, UnaryOperator<String> masker)
      throws IOException {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.echo = echo;
    this.masker = Objects.requireNonNull(masker, "masker");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.writer =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * The log file of a try: {@code <logsRoot>/<dagId>/<runId>/<taskId>/<tryNumber>.log}.
   *
   * @throws IllegalArgumentException if an id is empty, {@code .} or {@code ..}, or contains {@code
   *     /}, {@code \} or NUL (which could escape the folder), or tryNumber is below 1. Other
   *     characters, such as the {@code :} and {@code +} of run ids like {@code
   *     manual__2025-01-01T00:00:00+00:00}, are kept.
   */
  public static Path path(Path logsRoot, String dagId, String runId, String taskId, int tryNumber) {
    Objects.requireNonNull(logsRoot, "logsRoot");
    if (tryNumber < 1) {
      throw new IllegalArgumentException("try number must be 1 or more, got " + tryNumber);
    }
    return logsRoot
        .resolve(safe("dag id", dagId))
        .resolve(safe("run id", runId))
        .resolve(safe("task id", taskId))
        .resolve(tryNumber + ".log");
  }

  /**
   * Where a try's log goes; an instance of a mapped task logs under {@code <task>/map-<index>/}.
   */
  public static Path path(
      Path logsRoot, String dagId, String runId, String taskId, int mapIndex, int tryNumber) {
    Path unmapped = path(logsRoot, dagId, runId, taskId, tryNumber);
    return mapIndex < 0
        ? unmapped
        : unmapped.resolveSibling("map-" + mapIndex).resolve(unmapped.getFileName());
  }

  private static String safe(String what, String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (id.equals(".") || id.equals("..")) {
      throw new IllegalArgumentException(what + " '" + id + "' would escape the logs folder");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '\\' || c == '\0') {
        throw new IllegalArgumentException(
            what
                + " '"
                + id.replace("\0", "\\0")
                + "' contains "
                + (c == '\0' ? "NUL" : "'" + c + "'")
                + ", which is not allowed in a log path");
      }
    }
    return id;
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  /** Writes a DEBUG line; {@code {}} placeholders are replaced by the arguments. */
  @Override
  public void debug(String message, Object... args) {
    log("DEBUG", message, args);
  }

  /** Writes an INFO line; {@code {}} placeholders are replaced by the arguments. */
  @Override
  public void info(String message, Object... args) {
    log("INFO", message, args);
  }

  /** Writes a WARN line; {@code {}} placeholders are replaced by the arguments. */
  @Override
  public void warn(String message, Object... args) {
    log("WARN", message, args);
  }

  /** Writes an ERROR line; {@code {}} placeholders are replaced by the arguments. */
  @Override
  public void error(String message, Object... args) {
    log("ERROR", message, args);
  }

  /** Writes a line of a child process's output as it is. */
  public void output(String line) {
    write(line);
  }

  private void log(String level, String message, Object... args) {
    FormattingTuple formatted = MessageFormatter.arrayFormat(message, args);
    StringBuilder line =
        new StringBuilder(TIMESTAMP.format(clock.instant()))
            .append(' ')
            .append(level)
            .append(' ')
            .append(formatted.getMessage());
    Throwable throwable = formatted.getThrowable();
    if (throwable != null) {
      StringWriter trace = new StringWriter();
      throwable.printStackTrace(new PrintWriter(trace));
      line.append('\n').append(trace.toString().stripTrailing());
    }
    write(line.toString());
  }

  private void write(String text) {
    // Outside the lock: masking a line must not hold up the other threads writing to this log.
    String line = masker.apply(text);
    writeMasked(line);
  }

  private synchronized void writeMasked(String line) {
    if (closed) {
      throw new IllegalStateException("task log " + file + " is closed");
    }
    try {
      writer.write(line);
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write task log " + file, e);
    }
    if (echo != null) {
      echo.accept(line);
    }
  }

  /** Closes the file; later writes throw {@link IllegalStateException}. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      writer.close();
    }
  }
}
