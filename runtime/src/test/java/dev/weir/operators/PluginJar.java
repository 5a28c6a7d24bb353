package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds samples/plugin-example into a real jar: javac on its sources, then a jar of the result.
 */
final class PluginJar {
  static final Path SAMPLE =
      Path.of("..", "samples", "plugin-example").toAbsolutePath().normalize();

  private PluginJar() {}

  static Path build(Path work, Path jar) throws IOException {
    Path classes = Files.createDirectories(work.resolve("plugin-classes"));
    List<String> sources;
    try (Stream<Path> files = Files.walk(SAMPLE.resolve("src/main/java"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
    }
    assertThat(sources).isNotEmpty();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String[] args =
        Stream.concat(
                Stream.of(
                    "--release",
                    "17",
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    classes.toString()),
                sources.stream())
            .toArray(String[]::new);
    assertThat(javac.run(null, null, null, args)).as("javac of the plugin example").isZero();
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out)) {
      add(zip, classes);
      add(zip, SAMPLE.resolve("src/main/resources"));
    }
    return jar;
  }

  private static void add(JarOutputStream zip, Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
      }
    }
  }
}
