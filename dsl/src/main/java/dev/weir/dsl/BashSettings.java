package dev.weir.dsl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The settings of a {@code bash('id') { … }} task: its command, environment and folder. */
public final class BashSettings extends TaskSettings {
  private static final List<String> KEYWORDS =
      Stream.concat(Stream.of("command", "env", "cwd", "xcomPush"), TaskSettings.KEYWORDS.stream())
          .toList();

  private String command;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private String workingDirectory;
  private boolean pushLastLine;

  BashSettings(TaskSettings parent) {
    super(parent);
  }

  /** The bash script to run; a template rendered just before the task runs. */
  public void command(Object value) {
    command = text("command", value);
  }

  /** Environment variables added for the command; values are templates. */
  public void env(Map<?, ?> variables) {
    variables.forEach((k, v) -> env(String.valueOf(k), v));
  }

  /** One environment variable added for the command; the value is a template. */
  public void env(String name, Object value) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new DslException("env name '" + name + "' is not a valid environment variable name");
    }
    environment.put(name, String.valueOf(value));
  }

  /**
   * Keeps the last line the command prints as the task's result (XCom), as Airflow's do_xcom_push.
   */
  public void xcomPush(Object value) {
    pushLastLine = bool("xcomPush", value);
  }

  /** The folder the command runs in (default: a fresh temporary folder). */
  public void cwd(Object value) {
    workingDirectory = text("cwd", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "command" -> command(value);
      case "env" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new DslException(
              "env takes a map such as [KEY: 'value'], got " + Names.describe(value));
        }
        env(map);
      }
      case "cwd" -> cwd(value);
      case "xcomPush" -> xcomPush(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return KEYWORDS;
  }

  String command() {
    return command;
  }

  Map<String, String> environment() {
    return environment;
  }

  String workingDirectory() {
    return workingDirectory;
  }

  boolean pushLastLine() {
    return pushLastLine;
  }
}
