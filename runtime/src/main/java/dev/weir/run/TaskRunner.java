package dev.weir.run;

import dev.weir.executor.CodeOutcome;
import dev.weir.executor.CodeRunner;
import dev.weir.executor.ProcessOutcome;
import dev.weir.executor.ProcessRunner;
import dev.weir.executor.ProcessSpec;
import dev.weir.executor.TaskLog;
import dev.weir.model.TaskAction;
import dev.weir.model.TaskSpec;
import dev.weir.operators.OperatorException;
import dev.weir.operators.Operators;
import dev.weir.operators.PythonCommand;
import dev.weir.operators.RenderedFields;
import dev.weir.sensors.SensorRunner;
import dev.weir.sensors.SensorSupport;
import dev.weir.state.TaskState;
import dev.weir.template.Template;
import dev.weir.template.TemplateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * Runs one try of one task: Groovy code in a worker thread, bash as a child process, with the
 * task's execution timeout. Writes everything the try says to its log. Thread-safe.
 */
public final class TaskRunner implements AutoCloseable {
  /** The default limit of one XCom value's JSON size. */
  public static final int DEFAULT_XCOM_MAX_BYTES = 1 << 20;

  private final CodeRunner code;
  private final ProcessRunner processes;
  private final TaskServices services;
  private final int xcomMaxBytes;
  private final SensorRunner sensors;
  private final Operators operators;

  public TaskRunner(TaskServices services) {
    this(services, SensorSupport.withoutStore(java.time.Clock.systemUTC()));
  }

  /** A runner whose sensors use this clock, sleeper and view of other DAGs' runs. */
  public TaskRunner(TaskServices services, SensorSupport sensors) {
    this(
        new CodeRunner(),
        new ProcessRunner(),
        services,
        DEFAULT_XCOM_MAX_BYTES,
        sensors,
        new Operators(java.time.Clock.systemUTC()));
  }

  public TaskRunner(
      CodeRunner code, ProcessRunner processes, TaskServices services, int xcomMaxBytes) {
    this(
        code,
        processes,
        services,
        xcomMaxBytes,
        SensorSupport.withoutStore(java.time.Clock.systemUTC()),
        new Operators(java.time.Clock.systemUTC()));
  }

  public TaskRunner(
      CodeRunner code,
      ProcessRunner processes,
      TaskServices services,
      int xcomMaxBytes,
      SensorSupport sensors,
      Operators operators) {
    this.code = code;
    this.processes = processes;
    this.services = services;
    this.xcomMaxBytes = xcomMaxBytes;
    this.sensors = new SensorRunner(code, sensors);
    this.operators = operators;
  }

  public TaskServices services() {
    return services;
  }

  /**
   * Runs the try and says how it ended; a failure of the task is an outcome, not an exception.
   *
   * @throws InterruptedException when the calling thread is interrupted (the try is stopped)
   */
  public TryOutcome run(TaskAttempt attempt, TaskLog log) throws InterruptedException {
    return run(attempt, log, new RenderedFields());
  }

  /**
   * Runs the try as {@link #run(TaskAttempt, TaskLog)} does, keeping each template field it renders
   * in {@code rendered} as it renders it: a try that fails or is stopped keeps what it rendered.
   */
  public TryOutcome run(TaskAttempt attempt, TaskLog log, RenderedFields rendered)
      throws InterruptedException {
    TaskSpec task = attempt.task();
    RunContext run = attempt.run();
    TaskXCom xcom = new TaskXCom(run, task.id(), services.xcoms(), xcomMaxBytes);
    log.info(
        "Starting try {} of {} of task {}{} ({}) in run {}",
        attempt.tryNumber(),
        task.maxTries(),
        task.id(),
        attempt.mapIndex() >= 0 ? "[" + attempt.mapIndex() + "]" : "",
        task.action().kind(),
        run.runId());
    TryOutcome outcome;
    try {
      Object item = MappedItems.item(attempt, xcom);
      TaskInstanceContext context = new TaskInstanceContext(attempt, item, log, services, xcom);
      outcome = runAction(task, context, log, rendered);
      outcome = withXComs(task, outcome, xcom, log);
    } catch (IllegalArgumentException e) {
      // A bad XCom, a missing mapped item or connection: the task's mistake, said plainly.
      outcome = new TryOutcome(TaskState.FAILED, null, e.getMessage(), Duration.ZERO);
    }
    if (outcome.error() != null) {
      // The error is kept in the store and shown by the CLI: hide secrets there as in the log.
      String masked = services.mask(outcome.error());
      if (!masked.equals(outcome.error())) {
        outcome =
            new TryOutcome(
                outcome.state(),
                outcome.result(),
                masked,
                outcome.duration(),
                outcome.xcoms(),
                outcome.skip(),
                outcome.rescheduleAt());
      }
    }
    if (outcome.state() == TaskState.FAILED) {
      log.error("Task failed: {}", outcome.error());
    } else {
      log.info(
          "Task ended: {} after {} ms", outcome.state().label(), outcome.duration().toMillis());
    }
    return outcome;
  }

  private TryOutcome runAction(
      TaskSpec task, TaskInstanceContext context, TaskLog log, RenderedFields rendered)
      throws InterruptedException {
    if (task.action() instanceof TaskAction.Code code) {
      return runCode(task, code.body(), context, log);
    } else if (task.action() instanceof TaskAction.Branch branch) {
      return Branches.follow(task, runCode(task, branch.body(), context, log), context, log);
    } else if (task.action() instanceof TaskAction.ShortCircuit shortCircuit) {
      return Branches.shortCircuit(
          task, runCode(task, shortCircuit.body(), context, log), context, log);
    } else if (task.action() instanceof TaskAction.Bash bash) {
      return runBash(task, bash, context, log, rendered);
    } else if (SensorRunner.runs(task.action())) {
      return sensors.run(task, context, log, rendered);
    } else if (task.action() instanceof TaskAction.Python python) {
      return runPython(task, python, context, log, rendered);
    }
    Callable<Object> work;
    try {
      work =
          operators.work(
              task.action(),
              context,
              context.templateVariables(),
              log,
              rendered,
              task.executionTimeout());
    } catch (OperatorException e) {
      return new TryOutcome(TaskState.FAILED, null, e.getMessage(), Duration.ZERO);
    }
    if (work != null) {
      return runInJvm(task, work, log);
    }
    return new TryOutcome(TaskState.SUCCESS, null, null, Duration.ZERO);
  }

  /** Adds the try's pushes and its result (under return_value) to a successful outcome. */
  private TryOutcome withXComs(TaskSpec task, TryOutcome outcome, TaskXCom xcom, TaskLog log) {
    if (outcome.state() != TaskState.SUCCESS) {
      return outcome;
    }
    Map<String, Object> values = new LinkedHashMap<>(xcom.pushed());
    Object result = outcome.result();
    if (result != null && !values.containsKey(dev.weir.model.XCom.RETURN_VALUE)) {
      Object stored;
      try {
        stored =
            TaskXCom.roundTrip(task.id(), dev.weir.model.XCom.RETURN_VALUE, result, xcomMaxBytes);
      } catch (TaskXCom.XComTooLargeException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        // Groovy returns a block's last value even when no result was meant: keep its text.
        log.warn(
            "The result of type {} is not JSON; kept as its text", result.getClass().getName());
        stored =
            TaskXCom.roundTrip(
                task.id(), dev.weir.model.XCom.RETURN_VALUE, String.valueOf(result), xcomMaxBytes);
      }
      values.put(dev.weir.model.XCom.RETURN_VALUE, stored);
    }
    return values.isEmpty() ? outcome : outcome.withXComs(values);
  }

  private TryOutcome runCode(
      TaskSpec task, groovy.lang.Closure<?> body, TaskInstanceContext context, TaskLog log)
      throws InterruptedException {
    Callable<Object> call =
        () -> body.getMaximumNumberOfParameters() == 0 ? body.call() : body.call(context);
    return runInJvm(task, call, log);
  }

  /** Runs work in the JVM with the task's timeout; SkipTask skips, an exception fails the try. */
  private TryOutcome runInJvm(TaskSpec task, Callable<Object> call, TaskLog log)
      throws InterruptedException {
    // Without a timeout nothing needs another thread: the code runs on this one.
    CodeOutcome<Object> outcome =
        task.executionTimeout() == null
            ? code.runHere(call)
            : code.run(call, task.executionTimeout());
    if (outcome.timedOut()) {
      return new TryOutcome(
          TaskState.FAILED,
          null,
          "timed out after " + Durations.format(task.executionTimeout()),
          outcome.duration());
    }
    if (outcome.error() != null) {
      Throwable error = outcome.error();
      if (error instanceof SkipTask skip) {
        log.info("Skipping: {}", skip.getMessage());
        return new TryOutcome(TaskState.SKIPPED, null, null, outcome.duration());
      }
      if (error instanceof OperatorException) {
        // Its message says what went wrong in the task's terms; the trace only helps Weir's
        // authors.
        log.debug("{}", stackTrace(error));
        return new TryOutcome(TaskState.FAILED, null, error.getMessage(), outcome.duration());
      }
      log.error("{}", stackTrace(error));
      return new TryOutcome(TaskState.FAILED, null, describe(error), outcome.duration());
    }
    return new TryOutcome(TaskState.SUCCESS, outcome.result(), null, outcome.duration());
  }

  private TryOutcome runBash(
      TaskSpec task,
      TaskAction.Bash bash,
      TaskInstanceContext context,
      TaskLog log,
      RenderedFields rendered)
      throws InterruptedException {
    Map<String, Object> variables = context.templateVariables();
    String command;
    Map<String, String> environment = new LinkedHashMap<>(context.environment());
    Path workingDirectory;
    try {
      command = rendered.put("command", render(bash.command(), variables, "command"));
      // By name: the task's environment is a map without an order.
      for (String name : new TreeSet<>(bash.environment().keySet())) {
        String field = "env " + name;
        environment.put(
            name, rendered.put(field, render(bash.environment().get(name), variables, field)));
      }
      workingDirectory =
          bash.workingDirectory() == null
              ? null
              : Path.of(rendered.put("cwd", render(bash.workingDirectory(), variables, "cwd")));
    } catch (BadTemplate e) {
      return new TryOutcome(TaskState.FAILED, null, e.getMessage(), Duration.ZERO);
    }
    log.info("Running: {}", command);
    return runProcess(
        task,
        new ProcessSpec(
            List.of("bash", "-c", command), environment, workingDirectory, task.executionTimeout()),
        bash.pushLastLine(),
        log);
  }

  private TryOutcome runPython(
      TaskSpec task,
      TaskAction.Python python,
      TaskInstanceContext context,
      TaskLog log,
      RenderedFields rendered)
      throws InterruptedException {
    ProcessSpec spec;
    try {
      spec =
          PythonCommand.spec(
              python,
              context.templateVariables(),
              context.environment(),
              System.getenv("PYTHONPATH"),
              rendered,
              task.executionTimeout());
    } catch (OperatorException e) {
      return new TryOutcome(TaskState.FAILED, null, e.getMessage(), Duration.ZERO);
    }
    log.info("Running: {}", String.join(" ", spec.command()));
    return runProcess(task, spec, python.returnLastLine(), log);
  }

  /** Runs a child process; exit 0 succeeds, 99 skips, others fail. */
  private TryOutcome runProcess(
      TaskSpec task, ProcessSpec spec, boolean returnLastLine, TaskLog log)
      throws InterruptedException {
    ProcessOutcome outcome;
    try {
      outcome = processes.run(spec, log);
    } catch (java.io.IOException e) {
      return new TryOutcome(
          TaskState.FAILED, null, "cannot start the command: " + e.getMessage(), Duration.ZERO);
    }
    if (outcome.timedOut()) {
      return new TryOutcome(
          TaskState.FAILED,
          null,
          "timed out after "
              + Durations.format(task.executionTimeout())
              + "; its processes were killed",
          outcome.duration());
    }
    if (outcome.exitCode() == ProcessRunner.SKIP_EXIT_CODE) {
      log.info("Command exited with {}: skipping", ProcessRunner.SKIP_EXIT_CODE);
      return new TryOutcome(TaskState.SKIPPED, null, null, outcome.duration());
    }
    if (outcome.exitCode() != 0) {
      return new TryOutcome(
          TaskState.FAILED, null, "command exited with " + outcome.exitCode(), outcome.duration());
    }
    return new TryOutcome(
        TaskState.SUCCESS,
        returnLastLine ? outcome.lastOutputLine() : null,
        null,
        outcome.duration());
  }

  private static String render(String text, Map<String, Object> variables, String field) {
    if (!Template.isTemplate(text)) {
      return text;
    }
    try {
      return Template.parse(text).render(variables);
    } catch (TemplateException e) {
      throw new BadTemplate("template in " + field + ": " + e.getMessage());
    }
  }

  /** A template of the task that cannot be rendered; the try fails with this message. */
  private static final class BadTemplate extends RuntimeException {
    BadTemplate(String message) {
      super(message, null, false, false);
    }
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String stackTrace(Throwable error) {
    java.io.StringWriter text = new java.io.StringWriter();
    error.printStackTrace(new java.io.PrintWriter(text));
    return text.toString().stripTrailing();
  }

  @Override
  public void close() {
    code.close();
  }
}
