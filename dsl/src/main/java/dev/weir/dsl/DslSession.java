package dev.weir.dsl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** A DSL block being evaluated, for error messages. */
  record Block(String description, List<String> keywords) {}

  DslSession(String file, String scriptFileName, String sha256) {
    this.file = file;
    this.scriptFileName = scriptFileName;
    this.sha256 = sha256;
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
