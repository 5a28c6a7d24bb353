package dev.weir.dagbag;

import dev.weir.dsl.DagScriptCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fingerprint of the {@code lib} folders of a DAGs folder: the path and content of every file in
 * them, so a change to any shared class is noticed on the next refresh.
 */
final class LibraryStamp {
  private LibraryStamp() {}

  /** The fingerprint; empty when there are no lib files. */
  static String of(List<Path> folders) {
    StringBuilder all = new StringBuilder();
    for (Path folder : folders.stream().sorted().toList()) {
      try (Stream<Path> walk = Files.walk(folder)) {
        for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
          all.append(file).append('\0').append(DagScriptCompiler.sha256(read(file))).append('\n');
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // An unreadable lib is a change too: the scripts that need it fail with their own error.
        all.append(folder).append("\0unreadable\n");
      }
    }
    return all.isEmpty() ? "" : DagScriptCompiler.sha256(all.toString());
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
