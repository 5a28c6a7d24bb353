package dev.weir.sensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code fileSensor}: done when the path names a file, or a folder holding at least one file; a
 * glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}, {@code **} across folders) is done when
 * anything matches so. The result is the list of matching paths, sorted.
 */
final class FileCheck implements Check {
  private static final String GLOB_CHARS = "*?[{";

  private final Path path;

  /** The path, already rendered and resolved against its base folder. */
  FileCheck(Path path) {
    this.path = path.normalize();
  }

  /** Resolves a rendered path against a rendered base folder (which may be null). */
  static Path resolve(String path, String baseDir) {
    Path own = Path.of(path);
    if (own.isAbsolute()) {
      return own;
    }
    if (baseDir == null) {
      throw new SensorProblem(
          "path '" + path + "' is relative and the sensor has no baseDir to resolve it against");
    }
    Path base = Path.of(baseDir);
    if (!base.isAbsolute()) {
      throw new SensorProblem("baseDir '" + baseDir + "' must be an absolute path");
    }
    return base.resolve(own);
  }

  @Override
  public Poke poke() {
    List<String> found = isGlob(path.toString()) ? matches() : plain();
    if (found.isEmpty()) {
      return Poke.waiting("nothing at " + path);
    }
    return Poke.done(found);
  }

  private List<String> plain() {
    return hasFile(path) ? List.of(path.toString()) : List.of();
  }

  private List<String> matches() {
    // Walk from the deepest folder without glob characters, no deeper than the pattern reaches.
    Path root = path.getRoot();
    int fixed = 0;
    while (fixed < path.getNameCount() && !isGlob(path.getName(fixed).toString())) {
      root = root.resolve(path.getName(fixed));
      fixed++;
    }
    boolean anyDepth = path.toString().contains("**");
    int depth = anyDepth ? Integer.MAX_VALUE : path.getNameCount() - fixed;
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    PathMatcher matcher =
        FileSystems.getDefault().getPathMatcher("glob:" + path.toString().replace("\\", "\\\\"));
    List<String> found = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root, depth)) {
      paths
          .filter(matcher::matches)
          .filter(FileCheck::hasFile)
          .forEach(p -> found.add(p.toString()));
    } catch (IOException | UncheckedIOException e) {
      // A folder that vanished or cannot be read while walking: nothing found this time.
      return List.of();
    }
    found.sort(null);
    return found;
  }

  /** A regular file, or a folder with a regular file somewhere below it. */
  private static boolean hasFile(Path candidate) {
    if (Files.isRegularFile(candidate)) {
      return true;
    }
    if (!Files.isDirectory(candidate)) {
      return false;
    }
    try (Stream<Path> below = Files.walk(candidate)) {
      return below.anyMatch(Files::isRegularFile);
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private static boolean isGlob(String text) {
    return text.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
  }
}
