package dev.weir.dagbag;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a refresh on a thread of its own soon after a DAG file below a folder is created, changed or
 * deleted, and also every so often in case a change went unnoticed. Sub-folders are watched too,
 * including those created later, except the folders a {@link DagBag} leaves out (hidden ones and
 * {@code lib}).
 *
 * <p>A burst of changes, such as an editor saving a file in several writes, causes one refresh: it
 * runs once no change was seen for the quiet period, and at the latest five quiet periods after the
 * first change. A refresh that throws is logged and the watcher goes on.
 *
 * <p>Start the watcher before the first refresh, so that no change falls between the two. Changes
 * are seen within milliseconds where the file system reports them (inotify on Linux); where the JDK
 * polls instead (macOS), they may take about ten seconds, or until the periodic refresh.
 */
public final class DagFolderWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DagFolderWatcher.class);

  /** How long no change must be seen before the refresh runs, by default. */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(200);

  /** How often the refresh runs anyway, by default. */
  public static final Duration DEFAULT_FALLBACK_INTERVAL = Duration.ofSeconds(30);

  private static final long CLOSE_WAIT_MILLIS = 10_000;

  private final Path folder;
  private final Runnable refresh;
  private final long quietNanos;
  private final long fallbackNanos;
  private final WatchService service;
  private final Thread thread;

  // Only touched by the thread that registers the folders: start(), then the watcher's thread.
  private final Map<WatchKey, Path> folders = new HashMap<>();

  private volatile boolean closed;

  private DagFolderWatcher(
      Path folder, Duration quietPeriod, Duration fallbackInterval, Runnable refresh)
      throws IOException {
    this.folder = folder;
    this.refresh = refresh;
    this.quietNanos = quietPeriod.toNanos();
    this.fallbackNanos = fallbackInterval.toNanos();
    this.service = folder.getFileSystem().newWatchService();
    this.thread = new Thread(this::run, "weir-dags-watcher");
    thread.setDaemon(true);
  }

  /**
   * Watches a folder with the {@linkplain #DEFAULT_QUIET_PERIOD default quiet period} and
   * {@linkplain #DEFAULT_FALLBACK_INTERVAL fallback interval}.
   *
   * @see #start(Path, Duration, Duration, Runnable)
   */
  public static DagFolderWatcher start(Path folder, Runnable refresh) {
    return start(folder, DEFAULT_QUIET_PERIOD, DEFAULT_FALLBACK_INTERVAL, refresh);
  }

  /**
   * Watches a folder; changes made once this returns are seen.
   *
   * @param quietPeriod how long no change must be seen before the refresh runs
   * @param fallbackInterval how long after the last refresh it runs again when nothing was seen to
   *     change; longer than the quiet period
   * @param refresh what to run, on the watcher's thread, one call at a time
   * @throws IllegalArgumentException when a duration is not positive or the fallback interval is
   *     not longer than the quiet period
   * @throws UncheckedIOException when the folder cannot be watched
   */
  public static DagFolderWatcher start(
      Path folder, Duration quietPeriod, Duration fallbackInterval, Runnable refresh) {
    Objects.requireNonNull(refresh, "refresh");
    if (quietPeriod.isNegative() || quietPeriod.isZero()) {
      throw new IllegalArgumentException(
          "the quiet period of the DAGs folder watcher must be positive, not " + quietPeriod);
    }
    if (fallbackInterval.compareTo(quietPeriod) <= 0) {
      throw new IllegalArgumentException(
          "the fallback interval of the DAGs folder watcher ("
              + fallbackInterval
              + ") must be longer than its quiet period ("
              + quietPeriod
              + ")");
    }
    Path root = folder.toAbsolutePath().normalize();
    DagFolderWatcher watcher;
    try {
      watcher = new DagFolderWatcher(root, quietPeriod, fallbackInterval, refresh);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch the DAGs folder " + root + ": " + e, e);
    }
    try {
      watcher.register(root);
    } catch (IOException e) {
      watcher.closeService();
      throw new UncheckedIOException("cannot watch the DAGs folder " + root + ": " + e, e);
    }
    int count = watcher.folders.size();
    watcher.thread.start();
    log.info(
        "Watching the DAGs folder {} ({} folders); refreshing {} ms after a change and every {} s",
        root,
        count,
        quietPeriod.toMillis(),
        fallbackInterval.toSeconds());
    return watcher;
  }

  /**
   * Stops watching. Waits for a refresh in progress to end (without interrupting it), for at most
   * ten seconds.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeService(); // wakes the thread up
    if (Thread.currentThread() == thread) {
      return; // called by the refresh itself
    }
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (thread.isAlive()) {
      log.warn(
          "The refresh of the DAGs folder {} is still running after {} s; not waiting for it",
          folder,
          CLOSE_WAIT_MILLIS / 1000);
    }
  }

  /** Whether the watcher's thread is alive; for tests. */
  boolean isRunning() {
    return thread.isAlive();
  }

  private void run() {
    long nextFallback = System.nanoTime() + fallbackNanos;
    long firstChange = 0;
    long due = 0;
    boolean pending = false;
    while (!closed) {
      try {
        long wake = pending ? Math.min(due, nextFallback) : nextFallback;
        WatchKey key = service.poll(wake - System.nanoTime(), TimeUnit.NANOSECONDS);
        boolean changed = false;
        for (; key != null; key = service.poll()) {
          changed |= handle(key);
        }
        long now = System.nanoTime();
        if (changed) {
          if (!pending) {
            pending = true;
            firstChange = now;
          }
          due = Math.min(now + quietNanos, firstChange + 5 * quietNanos);
        }
        if ((pending && now - due >= 0) || now - nextFallback >= 0) {
          if (!pending && folders.isEmpty()) {
            registerAgain(); // the folder was gone; it may be back
          }
          pending = false;
          runRefresh();
          nextFallback = System.nanoTime() + fallbackNanos;
        }
      } catch (ClosedWatchServiceException | InterruptedException e) {
        break; // closed
      } catch (Throwable e) { // NOPMD: the watcher must not die silently
        log.error("The watcher of the DAGs folder {} failed; it goes on", folder, e);
      }
    }
    log.debug("Stopped watching the DAGs folder {}", folder);
  }

  private void runRefresh() {
    if (closed) {
      return;
    }
    try {
      refresh.run();
    } catch (Throwable e) { // NOPMD: one failed refresh must not stop the next ones
      log.error(
          "Refreshing the DAGs folder {} failed; trying again on the next change or in {} s",
          folder,
          TimeUnit.NANOSECONDS.toSeconds(fallbackNanos),
          e);
    }
  }

  /** Takes the events of one folder; returns whether they call for a refresh. */
  private boolean handle(WatchKey key) {
    Path dir = folders.get(key);
    if (dir == null) {
      key.cancel(); // a folder that was left; its last events came in meanwhile
      return false;
    }
    boolean relevant = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        log.debug("Missed changes in the DAGs folder {}; looking at all of it", folder);
        registerAgain();
        relevant = true;
        continue;
      }
      Path child = dir.resolve((Path) event.context());
      String name = child.getFileName().toString();
      if (event.kind() == ENTRY_CREATE && Files.isDirectory(child)) {
        if (!DagBag.isSkippedFolder(name)) {
          // Also what was put in it before it was registered, or moved in with it.
          registerQuietly(child);
          relevant = true;
        }
      } else if (event.kind() == ENTRY_DELETE && forget(child)) {
        relevant = true; // a watched folder was deleted or moved away
      } else if (DagBag.isDagFileName(name)) {
        relevant = true;
      }
    }
    if (!key.reset()) {
      forget(dir); // deleted, or the file system went away
      relevant = true;
    }
    return relevant;
  }

  /** Stops watching a folder and the folders in it; returns whether it was watched. */
  private boolean forget(Path dir) {
    boolean found = false;
    for (Iterator<Map.Entry<WatchKey, Path>> it = folders.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<WatchKey, Path> entry = it.next();
      if (entry.getValue().startsWith(dir)) {
        entry.getKey().cancel();
        it.remove();
        found = true;
      }
    }
    return found;
  }

  private void registerAgain() {
    try {
      register(folder);
    } catch (IOException e) {
      log.debug("Cannot watch the DAGs folder {} yet: {}", folder, e.toString());
    }
  }

  private void registerQuietly(Path dir) {
    try {
      register(dir);
    } catch (IOException e) {
      log.warn(
          "Cannot watch {} in the DAGs folder; its changes are seen by the periodic refresh",
          dir,
          e);
    }
  }

  /** Watches a folder and the folders below it, except those left out. */
  private void register(Path start) throws IOException {
    Files.walkFileTree(
        start,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(folder) && DagBag.isSkippedFolder(dir.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            try {
              WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
              folders.put(key, dir);
            } catch (IOException e) {
              if (dir.equals(start)) {
                throw e;
              }
              log.warn(
                  "Cannot watch {} in the DAGs folder; its changes are seen by the periodic"
                      + " refresh",
                  dir,
                  e);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (file.equals(start)) {
              throw e;
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void closeService() {
    try {
      service.close();
    } catch (IOException e) {
      log.debug("Cannot close the watch service of {}", folder, e);
    }
  }
}
