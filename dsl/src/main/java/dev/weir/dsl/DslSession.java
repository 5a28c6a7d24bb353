package dev.weir.dsl;

import dev.weir.model.OperatorPlugin;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The state of one evaluation of one script: the DAGs it defined and which DSL block it is in.
 * Lives in the script instance, so nothing is shared between scripts or runs.
 */
final class DslSession {
  private static final StackWalker WALKER = StackWalker.getInstance();

  private final String file;
  private final String scriptFileName;
  private final String sha256;
  private final Map<String, DagBuilder> dags = new LinkedHashMap<>();
  private final Deque<Block> blocks = new ArrayDeque<>();
  private final ScriptLocation location;
  private final ClassLoader classLoader;
  private Map<String, OperatorPlugin> plugins;

  /** A DSL block being evaluated, for error messages. */
  record Block(String description, List<String> keywords) {}

  DslSession(String file, String scriptFileName, String sha256) {
    this(file, scriptFileName, sha256, null, DslSession.class.getClassLoader());
  }

  /**
   * @param location where the script is on disk, or null when it is not a file
   * @param classLoader the script's class loader, which sees the plugins' jars
   */
  DslSession(
      String file,
      String scriptFileName,
      String sha256,
      ScriptLocation location,
      ClassLoader classLoader) {
    this.file = file;
    this.scriptFileName = scriptFileName;
    this.sha256 = sha256;
    this.location = location;
    this.classLoader = classLoader;
  }

  /**
   * The folder of the script; without a location, the folder of its display path (relative to the
   * working directory).
   */
  Path folder() {
    if (location != null) {
      return location.folder();
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }

  /** The DAGs folder; without a location, the script's folder. */
  Path dagsFolder() {
    return location != null ? location.dagsFolder() : folder();
  }

  /** The operator plugins the script's class loader sees, by name; looked up once per script. */
  Map<String, OperatorPlugin> operatorPlugins() {
    if (plugins == null) {
      Map<String, OperatorPlugin> found = new TreeMap<>();
      try {
        for (OperatorPlugin plugin : ServiceLoader.load(OperatorPlugin.class, classLoader)) {
          OperatorPlugin earlier = found.putIfAbsent(plugin.name(), plugin);
          if (earlier != null && earlier.getClass() != plugin.getClass()) {
            throw new DslException(
                "two operator plugins are named '"
                    + plugin.name()
                    + "': "
                    + earlier.getClass().getName()
                    + " and "
                    + plugin.getClass().getName());
          }
        }
      } catch (ServiceConfigurationError e) {
        throw new DslException("cannot load the operator plugins: " + e.getMessage());
      }
      plugins = found;
    }
    return plugins;
  }

  String file() {
    return file;
  }

  String scriptFileName() {
    return scriptFileName;
  }

  String sha256() {
    return sha256;
  }

  /** The script line currently running, or 0 when no script frame is on the stack. */
  int currentLine() {
    return WALKER.walk(
        frames ->
            frames
                .filter(f -> scriptFileName.equals(f.getFileName()) && f.getLineNumber() > 0)
                .findFirst()
                .map(StackWalker.StackFrame::getLineNumber)
                .orElse(0));
  }

  void addDag(DagBuilder dag) {
    DagBuilder earlier = dags.putIfAbsent(dag.id(), dag);
    if (earlier != null) {
      throw new DslException(
          "dag id '"
              + dag.id()
              + "' is already defined at line "
              + earlier.line()
              + " of this file");
    }
  }

  List<DagBuilder> dags() {
    return new ArrayList<>(dags.values());
  }

  void enter(String description, List<String> keywords) {
    blocks.push(new Block(description, keywords));
  }

  void leave() {
    blocks.pop();
  }

  /** The innermost block, or null at the top of the script. */
  Block currentBlock() {
    return blocks.peek();
  }
}
