package dev.weir.alerts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    byte[] bytes;
    boolean fromStart;
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      long start = Math.max(0, size - MAX_BYTES);
      fromStart = start == 0;
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
      channel.position(start);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // read until full or end of file
      }
      bytes = Arrays.copyOf(buffer.array(), buffer.position());
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<String> lines =
        new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1)));
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
