package dev.weir.template;

/**
 * A template could not be parsed or rendered. The message names the 1-based line and column in the
 * template text, and for render errors the undefined variable or path.
 */
public final class TemplateException extends Exception {
  private final int line;
  private final int column;

  TemplateException(String message, int line, int column) {
    this(message, line, column, null);
  }

  TemplateException(String message, int line, int column, String detail) {
    super(
        message
            + " at line "
            + line
            + ", column "
            + column
            + (detail == null ? "" : " (" + detail + ")"));
    this.line = line;
    this.column = column;
  }

  /** The 1-based line in the template text where the problem is. */
  public int line() {
    return line;
  }

  /** The 1-based column in the template text where the problem is. */
  public int column() {
    return column;
  }
}
