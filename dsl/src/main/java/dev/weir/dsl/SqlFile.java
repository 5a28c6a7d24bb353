package dev.weir.dsl;

import java.nio.file.Path;

/** A {@code .sql} file named in a script with {@code file('sql/load.sql')}. */
public record SqlFile(Path path) {
  @Override
  public String toString() {
    return path.toString();
  }
}
