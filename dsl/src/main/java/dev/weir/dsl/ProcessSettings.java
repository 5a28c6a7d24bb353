package dev.weir.dsl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings every task run as a child process has (bash, python): the environment variables it adds
 * and the folder it runs in.
 */
public abstract class ProcessSettings extends TaskSettings {
  private final Map<String, String> environment = new LinkedHashMap<>();
  private String workingDirectory;

  ProcessSettings(TaskSettings parent) {
    super(parent);
  }

  /** Environment variables added for the process; values are templates. */
  public void env(Map<?, ?> variables) {
    variables.forEach((k, v) -> env(String.valueOf(k), v));
  }

  /** One environment variable added for the process; the value is a template. */
  public void env(String name, Object value) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new DslException("env name '" + name + "' is not a valid environment variable name");
    }
    environment.put(name, String.valueOf(value));
  }

  /** The folder the process runs in (default: a fresh temporary folder). */
  public void cwd(Object value) {
    workingDirectory = text("cwd", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "env" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new DslException(
              "env takes a map such as [KEY: 'value'], got " + Names.describe(value));
        }
        env(map);
      }
      case "cwd" -> cwd(value);
      default -> super.set(name, value);
    }
  }

  Map<String, String> environment() {
    return environment;
  }

  String workingDirectory() {
    return workingDirectory;
  }
}
