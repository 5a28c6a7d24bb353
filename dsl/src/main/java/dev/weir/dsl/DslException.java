package dev.weir.dsl;

/**
 * A mistake in how a script uses the DSL. {@link DagScriptCompiler} adds the file and the line: the
 * one given here, else that of the script frame that made the call.
 */
public class DslException extends RuntimeException {
  private final int line;

  public DslException(String message) {
    this(message, 0, null);
  }

  DslException(String message, int line, Throwable cause) {
    super(message, cause);
    this.line = line;
  }

  /** The script line, or 0 to take it from the stack. */
  int line() {
    return line;
  }
}
