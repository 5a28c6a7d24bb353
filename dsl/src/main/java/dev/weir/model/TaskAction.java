package dev.weir.model;

import groovy.lang.Closure;
import java.nio.file.Path;
import java.util.Map;

/** What a task does when it runs. */
public sealed interface TaskAction {

  /**
   * A short name of the task kind, as written in scripts: {@code task}, {@code bash}, {@code
   * empty}.
   */
  String kind();

  /**
   * Groovy code run inside the worker; the closure receives a {@link TaskContext} and its return
   * value is the task's result.
   */
  record Code(Closure<?> body) implements TaskAction {
    @Override
    public String kind() {
      return "task";
    }
  }

  /**
   * Groovy code that chooses which directly downstream tasks run: it returns a task id or a list of
   * them, and the others are skipped.
   */
  record Branch(Closure<?> body) implements TaskAction {
    @Override
    public String kind() {
      return "branch";
    }
  }

  /** Groovy code whose false (Groovy truth) result skips every task downstream. */
  record ShortCircuit(Closure<?> body) implements TaskAction {
    @Override
    public String kind() {
      return "shortCircuit";
    }
  }

  /**
   * A bash script run as a child process. {@code command}, the values of {@code environment} and
   * {@code workingDirectory} are templates rendered just before the task runs.
   *
   * @param pushLastLine whether the last line the command prints becomes the task's result
   */
  record Bash(
      String command,
      Map<String, String> environment,
      String workingDirectory,
      boolean pushLastLine)
      implements TaskAction {
    public Bash {
      environment = Map.copyOf(environment);
    }

    @Override
    public String kind() {
      return "bash";
    }

    /** The working directory, or null for a fresh temporary one. */
    public Path workingDirectoryPath() {
      return workingDirectory == null ? null : Path.of(workingDirectory);
    }
  }

  /** Does nothing; useful to join or fan out branches. */
  record Empty() implements TaskAction {
    @Override
    public String kind() {
      return "empty";
    }
  }

  /** Waits until a condition holds: see {@link SensorCheck} for the kinds. */
  record Sensor(SensorCheck check, SensorOptions options) implements TaskAction {
    @Override
    public String kind() {
      return check.kind();
    }
  }

  /**
   * Creates a manual run of another DAG and, with {@code waitForCompletion}, waits until it ends.
   *
   * @param dagId a template: the DAG to run
   * @param conf the run's configuration; string values (also nested ones) are templates
   * @param logicalDate a template giving the run's logical date, or null for the time of the
   *     trigger
   * @param allowedStates run states that end the wait with success
   * @param failedStates run states that end the wait with failure
   * @param options how the wait pokes and for how long
   */
  record TriggerDagRun(
      String dagId,
      Map<String, Object> conf,
      String logicalDate,
      boolean waitForCompletion,
      java.util.List<String> allowedStates,
      java.util.List<String> failedStates,
      SensorOptions options)
      implements TaskAction {
    public TriggerDagRun {
      conf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(conf));
      allowedStates = java.util.List.copyOf(allowedStates);
      failedStates = java.util.List.copyOf(failedStates);
    }

    @Override
    public String kind() {
      return "triggerDagRun";
    }
  }
}
