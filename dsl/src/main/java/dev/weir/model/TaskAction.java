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
}
