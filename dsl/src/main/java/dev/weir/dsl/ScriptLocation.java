package dev.weir.dsl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a DAG script is on disk, so that it can name files relative to itself ({@code file(…)} of
 * SQL tasks), to the DAGs folder ({@code script} of python tasks), and use classes of {@code lib/}.
 *
 * @param script the script's absolute path
 * @param dagsFolder the absolute path of the DAGs folder it is in
 */
public record ScriptLocation(Path script, Path dagsFolder) {

  public ScriptLocation {
    script = script.toAbsolutePath().normalize();
    dagsFolder = dagsFolder.toAbsolutePath().normalize();
  }

  /** The folder of the script. */
  public Path folder() {
    Path parent = script.getParent();
    return parent == null ? dagsFolder : parent;
  }

  /**
   * The folders whose Groovy classes the script can use: the DAGs folder's {@code lib/}, and the
   * {@code lib/} next to the script when it is in a subfolder.
   */
  public List<Path> libraries() {
    List<Path> folders = new ArrayList<>();
    folders.add(dagsFolder.resolve("lib"));
    Path own = folder().resolve("lib");
    if (!folders.contains(own)) {
      folders.add(own);
    }
    return folders;
  }
}
