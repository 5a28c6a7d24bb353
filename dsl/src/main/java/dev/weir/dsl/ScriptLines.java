package dev.weir.dsl;

/** Finds the script line an exception was thrown from. */
final class ScriptLines {
  private ScriptLines() {}

  /** The line of the innermost script frame in the exception or its causes, or 0. */
  static int firstScriptLine(Throwable error, DslSession session) {
    return firstScriptLine(error, session.scriptFileName());
  }

  static int firstScriptLine(Throwable error, String scriptFileName) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DslException dsl && dsl.line() > 0) {
        return dsl.line();
      }
      for (StackTraceElement frame : t.getStackTrace()) {
        if (scriptFileName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
          return frame.getLineNumber();
        }
      }
    }
    return 0;
  }
}
