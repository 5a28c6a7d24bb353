package dev.weir.operators;

import dev.weir.executor.ProcessSpec;
import dev.weir.model.TaskAction;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child process of a {@code python} task: {@code INTERPRETER SCRIPT ARGS…} or {@code
 * INTERPRETER -m MODULE ARGS…}, with {@code PYTHONUNBUFFERED=1} (so output reaches the log line by
 * line, as it is printed) and the DAGs folder first on {@code PYTHONPATH}.
 */
public final class PythonCommand {
  private PythonCommand() {}

  /**
   * @param variables the task's template variables
   * @param baseEnvironment the variables every task process gets ({@code WEIR_DS}, …)
   * @param inheritedPythonPath the Weir process's {@code PYTHONPATH}, or null
   * @param rendered where to keep the rendered command line, environment and folder
   */
  public static ProcessSpec spec(
      TaskAction.Python action,
      Map<String, Object> variables,
      Map<String, String> baseEnvironment,
      String inheritedPythonPath,
      RenderedFields rendered,
      Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(action.interpreter());
    if (action.module() != null) {
      command.add("-m");
      command.add(action.module());
    } else {
      command.add(action.script());
    }
    for (int i = 0; i < action.args().size(); i++) {
      command.add(Templates.render(action.args().get(i), variables, "args[" + i + "]"));
    }
    rendered.put("command", String.join(" ", command));
    Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
    environment.put("PYTHONUNBUFFERED", "1");
    if (action.pythonPath() != null) {
      environment.put(
          "PYTHONPATH",
          inheritedPythonPath == null || inheritedPythonPath.isEmpty()
              ? action.pythonPath()
              : action.pythonPath() + File.pathSeparator + inheritedPythonPath);
    }
    action
        .environment()
        .forEach(
            (name, value) ->
                environment.put(
                    name,
                    rendered.put(
                        "env " + name, Templates.render(value, variables, "env " + name))));
    Path cwd =
        action.workingDirectory() == null
            ? null
            : Path.of(
                rendered.put("cwd", Templates.render(action.workingDirectory(), variables, "cwd")));
    return new ProcessSpec(command, environment, cwd, timeout);
  }
}
