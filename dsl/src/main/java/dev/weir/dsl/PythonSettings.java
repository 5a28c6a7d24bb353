package dev.weir.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The settings of a {@code python('id') { … }} task: what to run, with which Python. */
public final class PythonSettings extends ProcessSettings {
  static final String DEFAULT_INTERPRETER = "python3";
  private static final List<String> KEYWORDS =
      Stream.concat(
              Stream.of(
                  "script",
                  "module",
                  "args",
                  "interpreter",
                  "venv",
                  "env",
                  "cwd",
                  "returnLastLine"),
              TaskSettings.KEYWORDS.stream())
          .toList();

  private String script;
  private String module;
  private final List<String> args = new ArrayList<>();
  private String interpreter;
  private String venv;
  private boolean returnLastLine;

  PythonSettings(TaskSettings parent) {
    super(parent);
  }

  /** The script to run: a path relative to the DAGs folder, or absolute. */
  public void script(Object value) {
    script = text("script", value);
  }

  /**
   * A module to run with {@code python -m}, such as {@code pkg.train}; the DAGs folder is on
   * PYTHONPATH.
   */
  public void module(Object value) {
    module = text("module", value);
  }

  /** Arguments: {@code args '--lr', '{{ params.lr }}'}; templates. */
  public void args(Object... values) {
    args.clear();
    for (Object value : values) {
      if (value instanceof List<?> list) {
        list.forEach(item -> args.add(String.valueOf(item)));
      } else {
        args.add(String.valueOf(value));
      }
    }
  }

  /** The Python program (default {@code python3}, looked up on PATH). */
  public void interpreter(Object value) {
    interpreter = text("interpreter", value);
  }

  /** A virtualenv folder; its {@code bin/python} runs the task. */
  public void venv(Object value) {
    venv = text("venv", value);
  }

  /** Whether the last line the process prints is the task's result (default false). */
  public void returnLastLine(Object value) {
    returnLastLine = bool("returnLastLine", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "script" -> script(value);
      case "module" -> module(value);
      case "args" -> args(value instanceof Object[] array ? array : new Object[] {value});
      case "interpreter" -> interpreter(value);
      case "venv" -> venv(value);
      case "returnLastLine" -> returnLastLine(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return KEYWORDS;
  }

  String script() {
    return script;
  }

  String module() {
    return module;
  }

  List<String> args() {
    return args;
  }

  String interpreter() {
    return interpreter;
  }

  String venv() {
    return venv;
  }

  boolean returnLastLine() {
    return returnLastLine;
  }
}
