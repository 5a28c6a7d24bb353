package dev.weir.alerts;

import dev.weir.executor.LogChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The last lines of a log file, read from its end so that a large log costs little. */
final class LogTail {
  /** How much of the file's end is read: enough for the last lines of any sane log. */
  static final int MAX_BYTES = 64 * 1024;

  /** A longer line is cut, so that one huge line cannot fill a message. */
  static final int MAX_LINE = 500;

  private LogTail() {}

  /** Up to {@code count} last lines; empty when the file does not exist. */
  static List<String> read(Path file, int count) throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    long start = Math.max(0, size - MAX_BYTES);
    boolean fromStart = start == 0;
    String text = LogChunk.read(file, start, MAX_BYTES).text();
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (!fromStart && !lines.isEmpty()) {
      lines.remove(0); // the first line read is most likely cut
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - count), lines.size());
    return last.stream()
        .map(l -> l.length() > MAX_LINE ? l.substring(0, MAX_LINE) + "…" : l)
        .toList();
  }
}
