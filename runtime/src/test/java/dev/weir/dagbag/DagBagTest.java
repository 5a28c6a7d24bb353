package dev.weir.dagbag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.dsl.DagScriptCompiler;
import dev.weir.model.DagSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagBagTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path temp;
  private Path dags;
  private DagBag bag;

  @BeforeAll
  static void warmUpGroovy() {
    // The first compile in a JVM takes about a second; the timeout tests use shorter timeouts.
    new DagScriptCompiler().load("dags/warm.groovy", dag("warm"));
  }

  @BeforeEach
  void createFolder() throws IOException {
    dags = Files.createDirectory(temp.resolve("dags"));
    bag = newBag(DagBagOptions.defaults());
  }

  @AfterEach
  void closeBag() {
    bag.close();
  }

  private DagBag newBag(DagBagOptions options) {
    return new DagBag(dags, options, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private void write(String file, String content) throws IOException {
    Path path = dags.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
  }

  private static String dag(String id) {
    return "dag('" + id + "') {\n    schedule none()\n    bash('hello') { command 'echo hi' }\n}\n";
  }

  @Test
  void should_load_files_in_nested_folders_with_paths_relative_to_the_folders_parent()
      throws IOException {
    write("etl.groovy", dag("etl"));
    write("team/x.groovy", dag("x1") + dag("x2"));
    write("team/deep/y.groovy", dag("y"));

    RefreshResult result = bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("etl", "x1", "x2", "y");
    assertThat(bag.dags().keySet()).containsExactly("etl", "x1", "x2", "y");
    assertThat(bag.dag("etl").orElseThrow().source().file()).isEqualTo("dags/etl.groovy");
    assertThat(bag.dag("x2").orElseThrow().source().file()).isEqualTo("dags/team/x.groovy");
    assertThat(bag.dag("x2").orElseThrow().source().line()).isEqualTo(5);
    assertThat(bag.dag("y").orElseThrow().source().file()).isEqualTo("dags/team/deep/y.groovy");
    assertThat(bag.dag("nope")).isEmpty();
    assertThat(bag.importErrors()).isEmpty();
    assertThat(result.added())
        .containsExactly("dags/etl.groovy", "dags/team/deep/y.groovy", "dags/team/x.groovy");
    assertThat(result.changedAnything()).isTrue();
    assertThat(result.dagCount()).isEqualTo(4);
  }

  @Test
  void should_skip_hidden_files_hidden_folders_lib_folders_and_other_extensions()
      throws IOException {
    write("ok.groovy", dag("ok"));
    write(".hidden.groovy", dag("hidden_file"));
    write(".git/inside.groovy", dag("hidden_folder"));
    write("lib/shared.groovy", dag("lib_top"));
    write("team/lib/shared.groovy", dag("lib_nested"));
    write("notes.txt", dag("text"));

    bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("ok");
  }

  @Test
  void should_turn_a_syntax_error_into_an_import_error_and_clear_it_once_fixed()
      throws IOException {
    write("good.groovy", dag("good"));
    write(
        "broken.groovy",
        "dag('broken') {\n    bash('a') { command 'x' }\n    bash('b') >>\n}\n}\n");

    RefreshResult first = bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("good");
    assertThat(first.failed()).containsExactly("dags/broken.groovy");
    assertThat(bag.importErrors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.file()).isEqualTo("dags/broken.groovy");
              assertThat(error.line()).isPositive();
              assertThat(error.message()).startsWith("dags/broken.groovy:" + error.line() + ": ");
              assertThat(error.timestamp()).isEqualTo(NOW);
            });

    write("broken.groovy", dag("broken"));
    RefreshResult second = bag.refresh();

    assertThat(second.changed()).containsExactly("dags/broken.groovy");
    assertThat(second.failed()).isEmpty();
    assertThat(bag.importErrors()).isEmpty();
    assertThat(bag.dags()).containsOnlyKeys("broken", "good");
  }

  @Test
  void should_drop_the_dags_of_a_deleted_file() throws IOException {
    write("a.groovy", dag("a"));
    write("b.groovy", dag("b"));
    bag.refresh();

    Files.delete(dags.resolve("a.groovy"));
    RefreshResult result = bag.refresh();

    assertThat(result.removed()).containsExactly("dags/a.groovy");
    assertThat(bag.dags()).containsOnlyKeys("b");
  }

  @Test
  void should_not_compile_unchanged_files_again_but_compile_a_changed_one() throws IOException {
    write("a.groovy", dag("a"));
    write("b.groovy", dag("b"));
    bag.refresh();
    DagSpec a = bag.dag("a").orElseThrow();
    DagSpec b = bag.dag("b").orElseThrow();
    assertThat(bag.compileCount()).isEqualTo(2);

    RefreshResult unchanged = bag.refresh();

    assertThat(unchanged.changedAnything()).isFalse();
    assertThat(bag.compileCount()).isEqualTo(2);
    assertThat(bag.dag("a")).containsSame(a);

    write("b.groovy", dag("b").replace("echo hi", "echo bye"));
    RefreshResult changed = bag.refresh();

    assertThat(changed.changed()).containsExactly("dags/b.groovy");
    assertThat(bag.compileCount()).isEqualTo(3);
    assertThat(bag.dag("a")).containsSame(a);
    assertThat(bag.dag("b").orElseThrow()).isNotSameAs(b);
  }

  @Test
  void should_not_compile_a_file_that_was_only_touched() throws IOException {
    write("a.groovy", dag("a"));
    bag.refresh();

    Files.setLastModifiedTime(dags.resolve("a.groovy"), FileTime.from(NOW));
    RefreshResult result = bag.refresh();

    assertThat(result.changedAnything()).isFalse();
    assertThat(bag.compileCount()).isEqualTo(1);
  }

  @Test
  void should_see_a_change_that_keeps_the_size_and_the_modification_time() throws IOException {
    Path file = dags.resolve("a.groovy");
    write("a.groovy", dag("aaa"));
    FileTime time = Files.getLastModifiedTime(file);
    bag.refresh();

    write("a.groovy", dag("bbb"));
    Files.setLastModifiedTime(file, time);
    bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("bbb");
  }

  @Test
  void should_skip_reading_a_file_whose_size_and_old_modification_time_are_unchanged()
      throws IOException {
    Path file = dags.resolve("a.groovy");
    write("a.groovy", dag("aaa"));
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Files.setLastModifiedTime(file, old);
    bag.refresh();

    // Not something editors do; it shows that the cheap check alone decided.
    write("a.groovy", dag("bbb"));
    Files.setLastModifiedTime(file, old);
    bag.refresh();
    assertThat(bag.dags()).containsOnlyKeys("aaa");

    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    bag.refresh();
    assertThat(bag.dags()).containsOnlyKeys("bbb");
  }

  @Test
  void should_give_the_text_that_was_compiled_until_the_next_refresh() throws IOException {
    String first = "// first\n" + dag("a");
    write("a.groovy", first);
    bag.refresh();

    assertThat(bag.source("dags/a.groovy")).contains(first);
    assertThat(DagScriptCompiler.sha256(bag.source("dags/a.groovy").orElseThrow()))
        .isEqualTo(bag.dag("a").orElseThrow().source().sha256());

    String second = "// second\n" + dag("a");
    write("a.groovy", second);
    assertThat(bag.source("dags/a.groovy")).contains(first);

    bag.refresh();
    assertThat(bag.source("dags/a.groovy")).contains(second);
    assertThat(DagScriptCompiler.sha256(second))
        .isEqualTo(bag.dag("a").orElseThrow().source().sha256());
    assertThat(bag.source("a.groovy")).isEmpty();
    assertThat(bag.source("dags/nope.groovy")).isEmpty();
  }

  @Test
  void should_have_no_text_for_an_import_error_or_a_deleted_file() throws IOException {
    write("a.groovy", dag("a"));
    write("b.groovy", dag("b"));
    write("c.groovy", dag("c"));
    write("d.groovy", dag("a"));
    bag.refresh();
    assertThat(bag.source("dags/a.groovy")).isPresent();
    assertThat(bag.source("dags/d.groovy")).as("loses the dag id to a.groovy").isEmpty();

    write("b.groovy", "dag('b') {\n    bash('x') >>\n}\n}\n");
    Files.delete(dags.resolve("c.groovy"));
    bag.refresh();

    assertThat(bag.source("dags/a.groovy")).contains(dag("a"));
    assertThat(bag.source("dags/b.groovy")).isEmpty();
    assertThat(bag.source("dags/c.groovy")).isEmpty();

    bag.close();
    assertThat(bag.source("dags/a.groovy")).isEmpty();
  }

  @Test
  void should_give_a_duplicate_dag_id_to_the_first_file_until_that_file_is_deleted()
      throws IOException {
    write("a.groovy", dag("sales"));
    write("b.groovy", "// the same id\n" + dag("other") + dag("sales"));
    bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("sales");
    assertThat(bag.dag("sales").orElseThrow().source().file()).isEqualTo("dags/a.groovy");
    assertThat(bag.importErrors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.file()).isEqualTo("dags/b.groovy");
              assertThat(error.line()).isEqualTo(6);
              assertThat(error.message())
                  .isEqualTo("dags/b.groovy:6: dag id 'sales' is already defined in dags/a.groovy");
            });
    int compiles = bag.compileCount();

    Files.delete(dags.resolve("a.groovy"));
    bag.refresh();

    assertThat(bag.importErrors()).isEmpty();
    assertThat(bag.dags()).containsOnlyKeys("other", "sales");
    assertThat(bag.dag("sales").orElseThrow().source().file()).isEqualTo("dags/b.groovy");
    assertThat(bag.compileCount()).isEqualTo(compiles);
  }

  @Test
  void should_time_out_an_endless_loop_and_still_load_the_other_files() throws IOException {
    bag.close();
    bag = newBag(new DagBagOptions(Duration.ofMillis(500), 1));
    write("a_loop.groovy", "while (true) {}\n");
    write("b.groovy", dag("b"));
    write("c.groovy", dag("c"));

    bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("b", "c");
    assertThat(bag.importErrors())
        .singleElement()
        .extracting(ImportError::message)
        .isEqualTo(
            "dags/a_loop.groovy: timed out after 500 ms while loading"
                + " (an endless loop at the top level?)");

    write("d.groovy", dag("d"));
    bag.refresh();

    // The looping file is not run again until it changes; only d.groovy was compiled.
    assertThat(bag.compileCount()).isEqualTo(4);
    assertThat(bag.dags()).containsOnlyKeys("b", "c", "d");
    assertThat(bag.importErrors()).hasSize(1);
  }

  @Test
  void should_not_be_blocked_by_a_script_that_ignores_interrupts() throws IOException {
    bag.close();
    bag = newBag(new DagBagOptions(Duration.ofMillis(300), 1));
    // lock() ignores interrupts, so the script cannot be stopped while the test holds the lock;
    // a loop would not do: Groovy's interrupt check at its head may stop it.
    String key = "weir.test.lock." + System.nanoTime();
    ReentrantLock lock = new ReentrantLock();
    lock.lock();
    System.getProperties().put(key, lock);
    write("stuck.groovy", "System.getProperties().get('" + key + "').lock()\n");
    try {
      bag.refresh();
      assertThat(bag.importErrors())
          .extracting(ImportError::file)
          .containsExactly("dags/stuck.groovy");

      write("a.groovy", dag("a"));
      bag.refresh();

      assertThat(bag.dags()).containsOnlyKeys("a");
      assertThat(bag.loaderThreadCount()).isEqualTo(2);
    } finally {
      lock.unlock();
      System.getProperties().remove(key);
    }
  }

  @Test
  void should_report_a_script_that_calls_system_exit_as_an_import_error() throws IOException {
    write("exit.groovy", "dag('x') {\n    System.exit(1)\n}\n");
    write("ok.groovy", dag("ok"));

    bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("ok");
    assertThat(bag.importErrors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.file()).isEqualTo("dags/exit.groovy");
              assertThat(error.line()).isEqualTo(2);
              assertThat(error.message()).startsWith("dags/exit.groovy:2: ");
            });
  }

  @Test
  void should_report_a_failing_script_with_its_line_and_keep_the_others() throws IOException {
    write("boom.groovy", "dag('boom') {\n    throw new IllegalStateException('no')\n}\n");
    write("ok.groovy", dag("ok"));

    bag.refresh();

    assertThat(bag.dags()).containsOnlyKeys("ok");
    assertThat(bag.importErrors())
        .singleElement()
        .extracting(ImportError::message)
        .asString()
        .startsWith("dags/boom.groovy:2: ")
        .contains("no");
  }

  @Test
  void should_keep_its_dags_when_the_folder_cannot_be_read() throws IOException {
    write("a.groovy", dag("a"));
    bag.refresh();
    Path moved = Files.move(dags, temp.resolve("elsewhere"));

    assertThatThrownBy(bag::refresh)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot read the DAGs folder");
    assertThat(bag.dags()).containsOnlyKeys("a");

    Files.move(moved, dags);
    assertThat(bag.refresh().changedAnything()).isFalse();
  }

  @Test
  void should_be_empty_after_close() throws IOException {
    write("a.groovy", dag("a"));
    bag.refresh();

    bag.close();

    assertThat(bag.dags()).isEmpty();
  }
}
