package dev.weir.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins folder ({@code WEIR_HOME/plugins} by default, setting {@code plugins.folder}): every
 * {@code *.jar} in it is on the class path of DAG scripts, where {@link java.util.ServiceLoader}
 * finds the {@link dev.weir.model.OperatorPlugin}s it declares. Jars are read when Weir starts; a
 * new or changed jar needs a restart.
 */
public final class PluginFolder {
  private static final Logger log = LoggerFactory.getLogger(PluginFolder.class);

  private PluginFolder() {}

  /** The jars of the folder, sorted by name; none when the folder does not exist. */
  public static List<Path> jars(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the plugins folder " + folder, e);
    }
  }

  /**
   * A class loader over the folder's jars whose parent is {@code parent}; {@code parent} itself
   * when there are none. It stays open for the life of the process.
   */
  public static ClassLoader classLoader(Path folder, ClassLoader parent) {
    List<Path> jars = jars(folder);
    if (jars.isEmpty()) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (Path jar : jars) {
      try {
        urls.add(jar.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalStateException("cannot name plugin jar " + jar + " as a URL", e);
      }
    }
    log.info(
        "Plugins: {} jar(s) from {}: {}",
        jars.size(),
        folder,
        jars.stream().map(p -> p.getFileName().toString()).toList());
    return new URLClassLoader("weir-plugins", urls.toArray(URL[]::new), parent);
  }
}
