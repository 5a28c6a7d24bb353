package dev.weir.dsl;

/**
 * A DAG script that cannot be loaded: a syntax error, a DSL mistake, an invalid graph, or a script
 * that failed while it ran. The message reads {@code dags/file.groovy:12: what is wrong}.
 */
public class DagDefinitionException extends RuntimeException {
  private final String file;
  private final int line;
  private final String problem;

  public DagDefinitionException(String file, int line, String problem, Throwable cause) {
    super(format(file, line, problem), cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** The script's path as shown to users. */
  public String file() {
    return file;
  }

  /** The 1-based line, or 0 when the problem has no line. */
  public int line() {
    return line;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  private static String format(String file, int line, String problem) {
    return line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem;
  }
}
