package dev.weir.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskLogTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-01T03:00:00.123Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void should_write_levelled_lines_with_placeholders_and_timestamp() throws Exception {
    Path file = dir.resolve("a/b/1.log");
    try (TaskLog log = new TaskLog(file, CLOCK)) {
      log.info("rows: {} of {}", 5, 7);
      log.warn("slow {}", "query");
      log.error("no args {}");
      log.output("  raw {} line  ");
    }
    assertThat(Files.readAllLines(file))
        .containsExactly(
            "2025-01-01T03:00:00.123Z INFO rows: 5 of 7",
            "2025-01-01T03:00:00.123Z WARN slow query",
            "2025-01-01T03:00:00.123Z ERROR no args {}",
            "  raw {} line  ");
  }

  @Test
  void should_write_milliseconds_even_when_zero() throws Exception {
    Path file = dir.resolve("1.log");
    Clock whole = Clock.fixed(Instant.parse("2025-01-01T03:00:00Z"), ZoneOffset.UTC);
    try (TaskLog log = new TaskLog(file, whole)) {
      log.info("x");
    }
    assertThat(Files.readString(file)).isEqualTo("2025-01-01T03:00:00.000Z INFO x\n");
  }

  @Test
  void should_write_stack_trace_of_trailing_throwable() throws Exception {
    Path file = dir.resolve("1.log");
    try (TaskLog log = new TaskLog(file, CLOCK)) {
      log.error("failed {}", "load", new IllegalStateException("boom"));
    }
    String text = Files.readString(file);
    assertThat(text)
        .startsWith(
            "2025-01-01T03:00:00.123Z ERROR failed load\njava.lang.IllegalStateException: boom\n")
        .contains("\tat dev.weir.executor.TaskLogTest.");
  }

  @Test
  void should_flush_each_line_and_echo_it() throws Exception {
    Path file = dir.resolve("1.log");
    List<String> echoed = new ArrayList<>();
    try (TaskLog log = new TaskLog(file, CLOCK, echoed::add)) {
      log.output("first");
      assertThat(Files.readString(file)).isEqualTo("first\n");
      log.info("second");
      assertThat(Files.readAllLines(file)).hasSize(2);
    }
    assertThat(echoed).containsExactly("first", "2025-01-01T03:00:00.123Z INFO second");
  }

  @Test
  void should_append_to_an_existing_log() throws Exception {
    Path file = dir.resolve("1.log");
    try (TaskLog log = new TaskLog(file, CLOCK)) {
      log.output("one");
    }
    try (TaskLog log = new TaskLog(file, CLOCK)) {
      log.output("two");
    }
    assertThat(Files.readAllLines(file)).containsExactly("one", "two");
  }

  @Test
  void should_refuse_writes_after_close() throws Exception {
    TaskLog log = new TaskLog(dir.resolve("1.log"), CLOCK);
    log.close();
    log.close();
    assertThatThrownBy(() -> log.output("late")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void should_keep_lines_whole_when_threads_write_at_once() throws Exception {
    Path file = dir.resolve("1.log");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (TaskLog log = new TaskLog(file, CLOCK)) {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    log.output("thread-" + thread + " line-" + i + " " + "x".repeat(100));
                  }
                }));
      }
      for (Future<?> w : writers) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2000).allMatch(l -> l.matches("thread-\\d line-\\d+ x{100}"));
  }

  @Test
  void should_build_try_log_path_keeping_colons_and_plus() {
    Path root = Path.of("/var/weir/logs");
    assertThat(TaskLog.path(root, "daily_sales", "manual__2025-01-01T00:00:00+00:00", "load", 2))
        .isEqualTo(
            Path.of("/var/weir/logs/daily_sales/manual__2025-01-01T00:00:00+00:00/load/2.log"));
    assertThat(TaskLog.path(root, "a..b", "r", "t", 1).normalize()).startsWithRaw(root);
  }

  @Test
  void should_refuse_ids_that_would_escape_the_logs_folder() {
    Path root = Path.of("logs");
    for (String bad : List.of("..", ".", "", "a/b", "..\\x", "a\0b", "/etc")) {
      assertThatThrownBy(() -> TaskLog.path(root, "dag", bad, "t", 1))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("run id");
    }
    assertThatThrownBy(() -> TaskLog.path(root, "..", "r", "t", 1))
        .hasMessage("dag id '..' would escape the logs folder");
    assertThatThrownBy(() -> TaskLog.path(root, "d", "r", "a/../../x", 1))
        .hasMessage("task id 'a/../../x' contains '/', which is not allowed in a log path");
    assertThatThrownBy(() -> TaskLog.path(root, "d", "r", "t", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskLog.path(root, null, "r", "t", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
