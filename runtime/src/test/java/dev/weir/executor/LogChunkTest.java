package dev.weir.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogChunkTest {
  @TempDir Path temp;

  @Test
  void should_tail_a_log_from_offsets_without_cutting_a_character() throws IOException {
    Path log = temp.resolve("1.log");
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // three bytes
    Files.write(log, new byte[] {'a', 'b', euro[0], euro[1]});

    LogChunk first = LogChunk.read(log, 0, 1024);
    assertThat(first.text()).isEqualTo("ab");
    assertThat(first.next()).isEqualTo(2);
    assertThat(first.atEnd()).isFalse();

    Files.write(log, new byte[] {euro[2], '\n'}, StandardOpenOption.APPEND);
    LogChunk second = LogChunk.read(log, first.next(), 1024);
    assertThat(second.text()).isEqualTo("€\n");
    assertThat(second.atEnd()).isTrue();
    assertThat(LogChunk.read(log, second.next(), 1024).text()).isEmpty();
  }

  @Test
  void should_stop_at_the_limit_and_say_when_the_file_is_missing() throws IOException {
    Path log = temp.resolve("2.log");
    Files.writeString(log, "0123456789");

    LogChunk limited = LogChunk.read(log, 4, 3);

    assertThat(limited.text()).isEqualTo("456");
    assertThat(limited.next()).isEqualTo(7);
    assertThat(LogChunk.read(temp.resolve("none.log"), 0, 10).exists()).isFalse();
  }

  @Test
  void should_pass_on_bytes_that_never_make_a_character() throws IOException {
    Path log = temp.resolve("3.log");
    Files.write(log, new byte[] {(byte) 0xE2});

    LogChunk chunk = LogChunk.read(log, 0, 10);

    assertThat(chunk.next()).isEqualTo(1);
    assertThat(chunk.atEnd()).isTrue();
  }
}
