package dev.weir.dagbag;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit checked out in the Git work tree that holds a folder, read from the repository's files
 * without running {@code git}, so that it is cheap enough to ask on every refresh.
 *
 * <p>Understands a {@code .git} folder and a {@code .git} file that points elsewhere ({@code git
 * worktree add}, submodules, {@code --separate-git-dir}); a detached HEAD or a branch, stored as a
 * loose ref or in {@code packed-refs}. Repositories that keep their refs in the reftable format are
 * not read.
 */
public final class GitHead {
  private static final Logger log = LoggerFactory.getLogger(GitHead.class);

  /** A SHA-1 or SHA-256 object id. */
  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}(?:[0-9a-f]{24})?");

  /** Refs that each work tree has for itself; all other refs are shared by the work trees. */
  private static final List<String> PER_WORKTREE_REFS =
      List.of("refs/worktree/", "refs/bisect/", "refs/rewritten/");

  /** How many symbolic refs are followed before giving up on a loop. */
  private static final int MAX_SYMBOLIC_REFS = 5;

  private GitHead() {}

  /**
   * The id of the commit that HEAD names, in the work tree holding the folder (found at the folder
   * or at the nearest folder above it that has a {@code .git}).
   *
   * @return empty when the folder is in no work tree, when HEAD is a branch without commits yet, or
   *     when the repository cannot be read (logged at debug level)
   */
  public static Optional<String> commit(Path folder) {
    try {
      Optional<Path> gitDir = gitDir(folder);
      return gitDir.isEmpty() ? Optional.empty() : head(gitDir.get());
    } catch (IOException | InvalidPathException e) {
      log.debug("Cannot read the Git commit of {}; leaving it out: {}", folder, e.toString());
      return Optional.empty();
    }
  }

  private static Optional<Path> gitDir(Path folder) throws IOException {
    for (Path dir = folder.toRealPath(); dir != null; dir = dir.getParent()) {
      Path dotGit = dir.resolve(".git");
      if (Files.isDirectory(dotGit)) {
        return Optional.of(dotGit);
      }
      if (Files.isRegularFile(dotGit)) {
        String line = firstLine(dotGit);
        if (!line.startsWith("gitdir:")) {
          throw new IOException(dotGit + " does not start with 'gitdir:'");
        }
        return Optional.of(dir.resolve(line.substring("gitdir:".length()).trim()).normalize());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> head(Path gitDir) throws IOException {
    Path commonDir = gitDir;
    Path commonDirFile = gitDir.resolve("commondir");
    if (Files.isRegularFile(commonDirFile)) {
      commonDir = gitDir.resolve(firstLine(commonDirFile)).normalize();
    }
    if (Files.isDirectory(commonDir.resolve("reftable"))) {
      log.debug("{} keeps its refs in the reftable format, which is not read", commonDir);
      return Optional.empty();
    }
    String value = firstLine(gitDir.resolve("HEAD"));
    for (int i = 0; i <= MAX_SYMBOLIC_REFS; i++) {
      if (!value.startsWith("ref:")) {
        if (OBJECT_ID.matcher(value).matches()) {
          return Optional.of(value);
        }
        throw new IOException("not an object id in " + gitDir + ": '" + value + "'");
      }
      Optional<String> target = ref(gitDir, commonDir, value.substring("ref:".length()).trim());
      if (target.isEmpty()) {
        return Optional.empty(); // a branch without commits yet
      }
      value = target.get();
    }
    throw new IOException("too many symbolic refs from HEAD in " + gitDir);
  }

  /** What a ref holds: an object id or {@code ref: <another ref>}. */
  private static Optional<String> ref(Path gitDir, Path commonDir, String name) throws IOException {
    if (!name.startsWith("refs/") || name.contains("..") || name.contains("\\")) {
      throw new IOException("unexpected ref name '" + name + "' in " + gitDir);
    }
    boolean own = PER_WORKTREE_REFS.stream().anyMatch(name::startsWith);
    Path loose = (own ? gitDir : commonDir).resolve(name);
    if (Files.isRegularFile(loose)) {
      return Optional.of(firstLine(loose)); // a loose ref is newer than a packed one
    }
    Path packed = commonDir.resolve("packed-refs");
    if (own || !Files.isRegularFile(packed)) {
      return Optional.empty();
    }
    // Lines are "<id> <name>", "^<peeled id>" after an annotated tag, and "# <header>".
    try (BufferedReader lines = Files.newBufferedReader(packed, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        int space = line.indexOf(' ');
        if (space > 0
            && line.charAt(0) != '#'
            && line.charAt(0) != '^'
            && line.length() - space - 1 == name.length()
            && line.endsWith(name)) {
          return Optional.of(line.substring(0, space));
        }
      }
    }
    return Optional.empty();
  }

  private static String firstLine(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).trim();
  }
}
