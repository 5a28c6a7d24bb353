package dev.weir.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of secrets made once per home, safely when several processes start at once. */
public final class SecretFiles {
  private SecretFiles() {}

  /**
   * Puts {@code temp} under the name {@code file} unless that exists; never replaces it (on Linux
   * an atomic move would). Returns false when another process made the file first.
   */
  public static boolean publish(Path temp, Path file) throws IOException {
    try {
      Files.createLink(file, temp);
      return true;
    } catch (FileAlreadyExistsException raced) {
      return false;
    } catch (UnsupportedOperationException | IOException noLinks) {
      if (Files.exists(file)) {
        return false;
      }
      try {
        // No hard links on this file system: a move, which also refuses an existing file.
        Files.move(temp, file);
        return true;
      } catch (FileAlreadyExistsException raced) {
        return false;
      }
    }
  }
}
