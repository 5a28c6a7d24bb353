package dev.weir.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A piece of a task log read from a byte offset, for tailing: the text, where the next read starts,
 * whether it reached the end of the file, and whether the file exists yet.
 */
public record LogChunk(String text, long next, boolean atEnd, boolean exists) {

  /** Reads at most {@code maxBytes} from the offset, ending on a whole UTF-8 character. */
  public static LogChunk read(Path file, long offset, int maxBytes) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (offset >= size) {
        return new LogChunk("", size, true, true);
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, size - offset));
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
        // Reads until the buffer is full or the file ends.
      }
      // A character cut by the limit, or still being written, comes whole with the next read;
      // bytes that never make a character are passed on rather than waited for forever.
      int length = wholeCharacters(buffer.array(), buffer.position());
      if (length == 0) {
        length = buffer.position();
      }
      String text = new String(buffer.array(), 0, length, StandardCharsets.UTF_8);
      long next = offset + length;
      return new LogChunk(text, next, next >= size, true);
    } catch (NoSuchFileException e) {
      return new LogChunk("", 0, true, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log " + file, e);
    }
  }

  /** The length without a UTF-8 sequence cut at the end. */
  private static int wholeCharacters(byte[] bytes, int length) {
    int start = length - 1;
    // Up to 3 continuation bytes (10xxxxxx) precede the end; find the lead byte.
    while (start > 0 && length - start < 4 && (bytes[start] & 0xC0) == 0x80) {
      start--;
    }
    int lead = bytes[start] & 0xFF;
    int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return length - start < needed ? start : length;
  }
}
