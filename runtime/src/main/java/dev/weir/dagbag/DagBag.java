package dev.weir.dagbag;

import dev.weir.dsl.CompiledScript;
import dev.weir.dsl.DagDefinitionException;
import dev.weir.dsl.DagScriptCompiler;
import dev.weir.dsl.ScriptLocation;
import dev.weir.model.DagSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DAGs of one folder, kept up to date by {@link #refresh()}: every {@code *.groovy} file below
 * the folder (except hidden files and folders, and folders named {@code lib}) is compiled in a
 * class loader of its own, with a timeout, several files at a time. A file whose content is
 * unchanged is not compiled again. A file that cannot be loaded becomes an {@link ImportError} and
 * loses all its DAGs; the other files still load.
 *
 * <p>Files are named by their path relative to the folder's parent, such as {@code
 * dags/team/etl.groovy}. A DAG id belongs to the first file, in path order, that defines it; a
 * later file defining it again is an import error.
 *
 * <p>Thread-safety: {@link #refresh()} and {@link #close()} may be called from one thread at a time
 * (they are serialized); {@link #dags()}, {@link #dag(String)}, {@link #source(String)} and {@link
 * #importErrors()} may be called from any thread at any time and see the result of the last
 * completed refresh.
 */
public final class DagBag implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DagBag.class);

  /**
   * A file whose modification time is this recent may still change without its size or time
   * changing (coarse file system clocks), so it is hashed again on the next refresh.
   */
  private static final long SETTLE_MILLIS = 2_000;

  private final Path folder;
  private final String displayPrefix;
  private final DagBagOptions options;
  private final Clock clock;
  private final DagScriptCompiler compiler = new DagScriptCompiler();
  private final ClassLoader parentLoader;
  private final LoadingPool pool;
  private final AtomicInteger compiles = new AtomicInteger();

  // Only touched while holding this object's lock, by refresh() and close().
  private final Map<String, FileEntry> files = new TreeMap<>();
  private String librariesStamp = "";
  private boolean closed;

  private volatile Snapshot snapshot = Snapshot.EMPTY;

  /** A bag over a folder with the given options, timestamping import errors in UTC. */
  public DagBag(Path folder, DagBagOptions options) {
    this(folder, options, Clock.systemUTC());
  }

  /**
   * A bag over a folder; nothing is loaded before the first {@link #refresh()}.
   *
   * @param clock stamps import errors
   */
  public DagBag(Path folder, DagBagOptions options, Clock clock) {
    this(folder, options, clock, DagBag.class.getClassLoader());
  }

  /**
   * A bag whose scripts' classes have {@code parentLoader} as parent, such as a loader of plugin
   * jars.
   */
  public DagBag(Path folder, DagBagOptions options, Clock clock, ClassLoader parentLoader) {
    this.parentLoader = Objects.requireNonNull(parentLoader, "parentLoader");
    this.folder = folder.toAbsolutePath().normalize();
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    Path name = this.folder.getFileName();
    this.displayPrefix = name == null ? "" : name + "/";
    this.pool = new LoadingPool(options.parallelism());
  }

  /**
   * Scans the folder and loads what is new or changed, drops what vanished, and checks that DAG ids
   * are unique across files.
   *
   * @throws UncheckedIOException when the folder cannot be read; the DAGs stay as they were
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized RefreshResult refresh() {
    if (closed) {
      throw new IllegalStateException("this DagBag is closed");
    }
    long started = System.nanoTime();
    Scan scan = scan();
    // File times come from the file system, so they are compared with its wall clock, not with
    // the injected clock (which only stamps import errors).
    long wallNow = System.currentTimeMillis();
    Instant now = clock.instant();
    // Scripts compile lib/ classes with themselves: when a lib file changes, every script is
    // compiled again (which script uses which class is not tracked).
    String libraries = LibraryStamp.of(scan.libraries);
    boolean librariesChanged = !libraries.equals(librariesStamp);
    if (librariesChanged && !librariesStamp.isEmpty()) {
      log.info("A file in a lib folder changed; compiling every DAG file again");
    }
    librariesStamp = libraries;

    List<String> removed = new ArrayList<>();
    for (Iterator<FileEntry> it = files.values().iterator(); it.hasNext(); ) {
      FileEntry entry = it.next();
      if (!scan.found.containsKey(entry.file) && !scan.unreadable.contains(entry.file)) {
        entry.closeScript();
        it.remove();
        removed.add(entry.file);
      }
    }

    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<Pending> toLoad = new ArrayList<>();
    for (Map.Entry<String, Found> item : scan.found.entrySet()) {
      String file = item.getKey();
      Found found = item.getValue();
      FileEntry entry = files.get(file);
      if (entry != null && entry.unchanged(found) && !librariesChanged) {
        continue;
      }
      boolean settled = found.modified.toMillis() < wallNow - SETTLE_MILLIS;
      String source;
      try {
        source = Files.readString(found.path);
      } catch (IOException e) {
        String message = file + ": cannot read the file: " + e;
        FileEntry broken = files.computeIfAbsent(file, FileEntry::new);
        broken.settled = false; // retried on every refresh until it can be read
        if (broken.sha256 == null
            && broken.error != null
            && broken.error.message().equals(message)) {
          continue; // still unreadable, for the same reason: nothing new to report
        }
        (entry == null ? added : changed).add(file);
        failed.add(file);
        broken.closeScript();
        broken.sha256 = null;
        broken.source = null;
        broken.dags = null;
        broken.error = new ImportError(file, 0, message, now);
        continue;
      }
      String sha256 = DagScriptCompiler.sha256(source);
      if (entry != null && sha256.equals(entry.sha256) && !librariesChanged) {
        entry.remember(found, settled);
        continue;
      }
      toLoad.add(new Pending(file, source, sha256, found, settled, entry == null));
    }

    List<LoadingPool.Outcome<Loaded>> outcomes =
        pool.runAll(toLoad.stream().map(this::job).toList(), options.parseTimeout(), Loaded::close);

    VirtualMachineError fatal = null;
    for (int i = 0; i < toLoad.size(); i++) {
      Pending pending = toLoad.get(i);
      LoadingPool.Outcome<Loaded> outcome = outcomes.get(i);
      if (outcome instanceof LoadingPool.Outcome.Cancelled<Loaded>) {
        continue; // tried again on the next refresh
      }
      FileEntry entry = files.computeIfAbsent(pending.file, FileEntry::new);
      entry.closeScript();
      entry.sha256 = pending.sha256;
      entry.remember(pending.found, pending.settled);
      (pending.isNew ? added : changed).add(pending.file);
      if (outcome instanceof LoadingPool.Outcome.Done<Loaded> done) {
        entry.compiled = done.value().compiled;
        entry.source = pending.source;
        entry.dags = done.value().dags;
        entry.error = null;
        continue;
      }
      entry.source = null;
      entry.dags = null;
      failed.add(pending.file);
      if (outcome instanceof LoadingPool.Outcome.Failed<Loaded> failure) {
        Throwable error = failure.error();
        if (error instanceof VirtualMachineError vm && fatal == null) {
          fatal = vm;
        }
        entry.error = importError(pending.file, error, now);
      } else {
        entry.error =
            new ImportError(
                pending.file,
                0,
                pending.file
                    + ": timed out after "
                    + describe(options.parseTimeout())
                    + " while loading (an endless loop at the top level?)",
                now);
      }
    }

    Snapshot next = resolve(now);
    snapshot = next;
    Collections.sort(added);
    Collections.sort(changed);
    Collections.sort(failed);
    RefreshResult result =
        new RefreshResult(
            added,
            changed,
            removed,
            failed,
            next.dags.size(),
            next.errors.size(),
            Duration.ofNanos(System.nanoTime() - started));
    if (result.changedAnything()) {
      log.info(
          "Refreshed DAGs folder {}: {} added, {} changed, {} removed, {} failed; now {} DAGs and {}"
              + " import errors ({} ms)",
          folder,
          added.size(),
          changed.size(),
          removed.size(),
          failed.size(),
          next.dags.size(),
          next.errors.size(),
          result.took().toMillis());
    } else {
      log.debug(
          "Refreshed DAGs folder {}: nothing changed in {} files ({} ms)",
          folder,
          files.size(),
          result.took().toMillis());
    }
    if (fatal != null) {
      throw fatal;
    }
    return result;
  }

  /** The loaded DAGs by id, sorted by id. Unmodifiable. */
  public Map<String, DagSpec> dags() {
    return snapshot.dags;
  }

  /** The loaded DAG with this id. */
  public Optional<DagSpec> dag(String id) {
    return Optional.ofNullable(snapshot.dags.get(id));
  }

  /**
   * The text of the loaded version of a file: exactly what was compiled into the DAGs of {@link
   * #dags()}, so its SHA-256 is the one in their {@link dev.weir.model.ScriptSource}, whatever
   * happened to the file since. Empty when the file is unknown or is an import error.
   *
   * @param file a display path, such as {@code dags/etl.groovy}
   */
  public Optional<String> source(String file) {
    return Optional.ofNullable(snapshot.sources.get(file));
  }

  /** The files that could not be loaded, sorted by file. Unmodifiable. */
  public List<ImportError> importErrors() {
    return snapshot.errors;
  }

  /** The folder this bag loads. */
  public Path folder() {
    return folder;
  }

  /** Releases every compiled script (so its classes can be unloaded) and the loading threads. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    pool.close();
    for (FileEntry entry : files.values()) {
      entry.closeScript();
    }
    files.clear();
    snapshot = Snapshot.EMPTY;
  }

  /** How many times a script was compiled; for tests. */
  int compileCount() {
    return compiles.get();
  }

  /** How many loading threads are alive; for tests. */
  int loaderThreadCount() {
    return pool.threadCount();
  }

  private Callable<Loaded> job(Pending pending) {
    return () -> {
      compiles.incrementAndGet();
      CompiledScript compiled =
          compiler.compile(
              pending.file,
              pending.source,
              parentLoader,
              new ScriptLocation(pending.found.path, folder));
      try {
        return new Loaded(compiled, compiler.evaluate(compiled));
      } catch (Throwable e) { // NOPMD: release the loader whatever happened, then report
        compiled.close();
        throw e;
      }
    };
  }

  private Snapshot resolve(Instant now) {
    Map<String, ImportError> previousErrors = new HashMap<>();
    for (ImportError error : snapshot.errors) {
      previousErrors.put(error.file(), error);
    }
    Map<String, DagSpec> dags = new TreeMap<>();
    Map<String, String> sources = new HashMap<>();
    Map<String, String> owners = new HashMap<>();
    List<ImportError> errors = new ArrayList<>();
    for (FileEntry entry : files.values()) {
      if (entry.error != null) {
        errors.add(entry.error);
        continue;
      }
      ImportError clash = clash(entry, owners, previousErrors.get(entry.file), now);
      if (clash != null) {
        errors.add(clash);
        continue;
      }
      for (DagSpec dag : entry.dags) {
        dags.put(dag.id(), dag);
        owners.put(dag.id(), entry.file);
      }
      sources.put(entry.file, entry.source);
    }
    return new Snapshot(Collections.unmodifiableMap(dags), sources, List.copyOf(errors));
  }

  private static ImportError clash(
      FileEntry entry, Map<String, String> owners, ImportError previous, Instant now) {
    for (DagSpec dag : entry.dags) {
      String owner = owners.get(dag.id());
      if (owner != null) {
        DagDefinitionException e =
            new DagDefinitionException(
                entry.file,
                dag.source().line(),
                "dag id '" + dag.id() + "' is already defined in " + owner,
                null);
        // The same problem keeps the time it was first seen.
        Instant since =
            previous != null && previous.message().equals(e.getMessage())
                ? previous.timestamp()
                : now;
        return new ImportError(entry.file, e.line(), e.getMessage(), since);
      }
    }
    return null;
  }

  private static ImportError importError(String file, Throwable error, Instant now) {
    if (error instanceof DagDefinitionException e) {
      return new ImportError(file, e.line(), e.getMessage(), now);
    }
    return new ImportError(file, 0, file + ": cannot load: " + error, now);
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  private Scan scan() {
    Scan scan = new Scan();
    try {
      Files.walkFileTree(
          folder,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (dir.equals(folder)) {
                return FileVisitResult.CONTINUE;
              }
              if (dir.getFileName().toString().equals("lib")) {
                scan.libraries.add(dir);
              }
              return isSkippedFolder(dir.getFileName().toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && isDagFileName(file.getFileName().toString())) {
                scan.found.put(
                    display(file), new Found(file, attrs.size(), attrs.lastModifiedTime()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (file.equals(folder)) {
                throw e;
              }
              // Keep what was loaded from it rather than dropping DAGs over a passing glitch.
              log.warn(
                  "Cannot read {} in the DAGs folder; keeping what was loaded from it", file, e);
              String shown = display(file);
              scan.unreadable.add(shown);
              for (String known : files.keySet()) {
                if (known.startsWith(shown + "/")) {
                  scan.unreadable.add(known);
                }
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the DAGs folder " + folder + ": " + e, e);
    }
    return scan;
  }

  /** Whether a folder below the DAGs folder is left out, with everything in it. */
  static boolean isSkippedFolder(String name) {
    // lib/ is reserved for code shared between DAG files.
    return name.startsWith(".") || name.equals("lib");
  }

  /**
   * Whether a file of this name is a DAG file (when it is a regular file in a folder not left out).
   */
  static boolean isDagFileName(String name) {
    return name.endsWith(".groovy") && !name.startsWith(".");
  }

  private String display(Path file) {
    StringBuilder shown = new StringBuilder(displayPrefix);
    Path relative = folder.relativize(file);
    for (int i = 0; i < relative.getNameCount(); i++) {
      if (i > 0) {
        shown.append('/');
      }
      shown.append(relative.getName(i));
    }
    return shown.toString();
  }

  private record Found(Path path, long size, FileTime modified) {}

  private static final class Scan {
    final Map<String, Found> found = new TreeMap<>();
    final Set<String> unreadable = new HashSet<>();
    final List<Path> libraries = new ArrayList<>();
  }

  private record Pending(
      String file, String source, String sha256, Found found, boolean settled, boolean isNew) {}

  private record Loaded(CompiledScript compiled, List<DagSpec> dags) {
    void close() {
      compiled.close();
    }
  }

  /** {@code sources} holds the text of every loaded file (shared with its entry, not copied). */
  private record Snapshot(
      Map<String, DagSpec> dags, Map<String, String> sources, List<ImportError> errors) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), List.of());
  }

  /** What the bag knows of one file. */
  private static final class FileEntry {
    final String file;
    long size = -1;
    FileTime modified;
    boolean settled;
    String sha256;
    String source; // the text that was compiled; null unless it loaded
    CompiledScript compiled;
    List<DagSpec> dags;
    ImportError error;

    FileEntry(String file) {
      this.file = file;
    }

    /** Same size and time as when last hashed, and that time was old enough to trust. */
    boolean unchanged(Found found) {
      return settled && size == found.size && found.modified.equals(modified);
    }

    void remember(Found found, boolean settledNow) {
      size = found.size;
      modified = found.modified;
      settled = settledNow;
    }

    void closeScript() {
      if (compiled != null) {
        compiled.close();
        compiled = null;
      }
    }
  }
}
