package dev.weir.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The migrations Weir ships, read from the class path, so tests follow when one is added. */
public final class Migrations {
  private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

  private Migrations() {}

  /** How many migrations there are. */
  public static int count() {
    return versions().size();
  }

  /** The highest version, as Flyway prints it. */
  public static String latest() {
    return Integer.toString(versions().stream().mapToInt(Integer::intValue).max().orElseThrow());
  }

  private static List<Integer> versions() {
    try (Stream<Path> files =
        Files.list(Path.of(Migrations.class.getResource("/db/migration").toURI()))) {
      return files
          .map(file -> VERSION.matcher(file.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
