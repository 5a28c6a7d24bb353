package dev.weir.dagbag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.weir.dsl.DagScriptCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagFolderWatcherTest {
  /** The spec's goal is two seconds; the bound leaves room for a busy build machine. */
  private static final Duration PICKUP_BOUND = Duration.ofSeconds(4);

  private static final Duration AWAIT = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final Duration NO_FALLBACK = Duration.ofHours(1);

  @TempDir Path temp;
  private Path dags;
  private DagBag bag;

  /** The DAG ids after each refresh that {@link #refreshBag()} made. */
  private final List<Set<String>> refreshed = new CopyOnWriteArrayList<>();

  private DagFolderWatcher watcher;

  @BeforeAll
  static void warmUpGroovy() {
    // The first compile in a JVM takes about a second, which is not what is measured here.
    new DagScriptCompiler().load("dags/warm.groovy", dag("warm"));
  }

  @BeforeEach
  void createFolder() throws IOException {
    dags = Files.createDirectory(temp.resolve("dags"));
    bag = new DagBag(dags, DagBagOptions.defaults());
  }

  @AfterEach
  void close() {
    if (watcher != null) {
      watcher.close();
    }
    bag.close();
  }

  private static String dag(String id) {
    return "dag('" + id + "') {\n    schedule none()\n    bash('hello') { command 'echo hi' }\n}\n";
  }

  private void refreshBag() {
    bag.refresh();
    refreshed.add(bag.dags().keySet());
  }

  @Test
  void should_pick_up_a_created_changed_and_deleted_file_within_two_seconds() throws Exception {
    watcher = DagFolderWatcher.start(dags, QUIET, NO_FALLBACK, this::refreshBag);
    bag.refresh();
    Path file = dags.resolve("etl.groovy");

    long created = pickUp("created", () -> Files.writeString(file, dag("first")), "first");
    long changed = pickUp("changed", () -> Files.writeString(file, dag("second")), "second");
    long deleted = pickUp("deleted", () -> Files.delete(file));

    assertThat(created).isLessThan(PICKUP_BOUND.toMillis());
    assertThat(changed).isLessThan(PICKUP_BOUND.toMillis());
    assertThat(deleted).isLessThan(PICKUP_BOUND.toMillis());
  }

  @Test
  void should_watch_sub_folders_created_later_and_forget_deleted_ones() throws Exception {
    watcher = DagFolderWatcher.start(dags, QUIET, NO_FALLBACK, this::refreshBag);
    bag.refresh();
    Path team = dags.resolve("team");

    long created =
        pickUp(
            "created in new nested folders",
            () -> {
              Files.createDirectories(team.resolve("deep"));
              Files.writeString(team.resolve("deep/x.groovy"), dag("x"));
            },
            "x");
    long later =
        pickUp(
            "created in a folder watched since",
            () -> Files.writeString(team.resolve("deep/y.groovy"), dag("y")),
            "x",
            "y");
    long moved =
        pickUp(
            "moved with its folder",
            () -> Files.move(team, dags.resolve("other")),
            () ->
                bag.dag("x")
                    .map(x -> x.source().file().equals("dags/other/deep/x.groovy"))
                    .orElse(false));
    assertThat(bag.dags()).containsOnlyKeys("x", "y");
    long changedInMoved =
        pickUp(
            "changed in the moved folder",
            () -> Files.writeString(dags.resolve("other/deep/y.groovy"), dag("z")),
            "x",
            "z");
    long deleted = pickUp("deleted with its folder", () -> deleteTree(dags.resolve("other")));

    assertThat(Stream.of(created, later, moved, changedInMoved, deleted))
        .allSatisfy(millis -> assertThat(millis).isLessThan(PICKUP_BOUND.toMillis()));
  }

  @Test
  void should_refresh_once_for_a_burst_of_writes() throws Exception {
    watcher = DagFolderWatcher.start(dags, Duration.ofMillis(500), NO_FALLBACK, this::refreshBag);
    bag.refresh();
    Path file = dags.resolve("a.groovy");

    for (int i = 1; i <= 5; i++) {
      Files.writeString(file, dag("v" + i));
    }

    await("a refresh", () -> !refreshed.isEmpty());
    assertThat(refreshed.get(0)).as("what the first refresh saw").containsExactly("v5");
  }

  @Test
  void should_ignore_files_that_are_not_dag_files_and_skipped_folders() throws Exception {
    watcher = DagFolderWatcher.start(dags, QUIET, NO_FALLBACK, this::refreshBag);
    bag.refresh();
    Files.writeString(dags.resolve("notes.txt"), "x");
    Files.writeString(dags.resolve(".etl.groovy.swp"), "x");
    Files.createDirectories(dags.resolve("lib"));
    Files.createDirectories(dags.resolve(".git/objects"));
    Files.writeString(dags.resolve("lib/shared.groovy"), "x");
    Files.writeString(dags.resolve(".git/objects/x.groovy"), "x");
    // Gives a wrong refresh time to happen, then makes one that must happen.
    Thread.sleep(3 * QUIET.toMillis());
    pickUp(
        "created after ignored files",
        () -> Files.writeString(dags.resolve("a.groovy"), dag("a")),
        "a");

    await("the refresh to end", () -> !refreshed.isEmpty());
    assertThat(refreshed).as("refreshes").containsExactly(Set.of("a"));
  }

  @Test
  void should_keep_watching_after_the_refresh_throws() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    watcher =
        DagFolderWatcher.start(
            dags,
            QUIET,
            NO_FALLBACK,
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("a refresh that fails once");
              }
              bag.refresh();
            });
    Files.writeString(dags.resolve("a.groovy"), dag("a"));
    await("the failing refresh", () -> calls.get() >= 1);
    assertThat(bag.dags()).isEmpty();

    pickUp(
        "created after a failed refresh",
        () -> Files.writeString(dags.resolve("b.groovy"), dag("b")),
        "a",
        "b");

    assertThat(watcher.isRunning()).isTrue();
  }

  @Test
  void should_refresh_periodically_when_nothing_changes() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    watcher =
        DagFolderWatcher.start(
            dags, Duration.ofMillis(50), Duration.ofMillis(200), calls::incrementAndGet);

    await("three periodic refreshes", () -> calls.get() >= 3);
  }

  @Test
  void should_watch_the_folder_again_once_it_is_recreated() throws Exception {
    Duration fallback = Duration.ofSeconds(2);
    AtomicInteger attempts = new AtomicInteger();
    watcher =
        DagFolderWatcher.start(
            dags,
            Duration.ofMillis(50),
            fallback,
            () -> {
              attempts.incrementAndGet();
              bag.refresh();
            });
    Files.delete(dags);
    await("a refresh once the folder is gone", () -> attempts.get() >= 1);
    Files.createDirectory(dags);
    // The periodic refresh watches the folder again before it refreshes.
    await("a periodic refresh", () -> attempts.get() >= 2);

    long millis =
        pickUp(
            "created in a recreated folder",
            () -> Files.writeString(dags.resolve("a.groovy"), dag("a")),
            "a");
    assertThat(millis)
        .as("seen before the next periodic refresh")
        .isLessThan(fallback.toMillis() * 3 / 4);
  }

  @Test
  void should_stop_its_thread_on_close_after_the_refresh_in_progress() throws Exception {
    CountDownLatch inRefresh = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    watcher =
        DagFolderWatcher.start(
            dags,
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            () -> {
              inRefresh.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
              }
              finished.incrementAndGet();
            });
    assertThat(inRefresh.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    Thread closer = new Thread(watcher::close);
    closer.start();
    closer.join(100);
    assertThat(closer.isAlive()).as("close waits for the refresh").isTrue();
    release.countDown();
    closer.join(AWAIT.toMillis());

    assertThat(closer.isAlive()).isFalse();
    assertThat(watcher.isRunning()).isFalse();
    assertThat(finished).hasValue(1);
    watcher.close(); // again: nothing happens
  }

  @Test
  void should_stop_promptly_when_idle() {
    watcher = DagFolderWatcher.start(dags, this::refreshBag);
    assertThat(watcher.isRunning()).isTrue();

    long started = System.nanoTime();
    watcher.close();

    assertThat(watcher.isRunning()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void should_reject_a_missing_folder_and_durations_that_make_no_sense() {
    assertThatThrownBy(() -> DagFolderWatcher.start(temp.resolve("missing"), this::refreshBag))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot watch the DAGs folder");
    assertThatThrownBy(
            () -> DagFolderWatcher.start(dags, Duration.ZERO, NO_FALLBACK, this::refreshBag))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quiet period");
    assertThatThrownBy(
            () -> DagFolderWatcher.start(dags, QUIET, Duration.ofMillis(100), this::refreshBag))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the fallback interval of the DAGs folder watcher (PT0.1S) must be longer than its"
                + " quiet period (PT0.2S)");
  }

  private interface Change {
    void apply() throws IOException;
  }

  /**
   * Makes a change and waits until the bag holds exactly the expected DAGs, by id.
   *
   * @return how long the change took to show, in milliseconds
   */
  private long pickUp(String what, Change change, String... expectedDags) throws Exception {
    return pickUp(what, change, () -> bag.dags().keySet().equals(Set.of(expectedDags)));
  }

  /**
   * Makes a change and waits until the condition holds.
   *
   * @return how long the change took to show, in milliseconds
   */
  private long pickUp(String what, Change change, BooleanSupplier condition) throws Exception {
    long started = System.nanoTime();
    change.apply();
    await(what, condition);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf("DAG file %s: picked up after %d ms%n", what, millis);
    return millis;
  }

  /** Polls until the condition holds, for at most five seconds. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail(what + ": not seen within " + AWAIT.toSeconds() + " s");
      }
      Thread.sleep(5);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
