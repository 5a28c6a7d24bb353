package dev.weir.sensors;

import dev.weir.executor.CodeOutcome;
import dev.weir.executor.CodeRunner;
import dev.weir.model.SensorCheck;
import dev.weir.model.SensorOptions;
import dev.weir.model.TaskAction;
import dev.weir.model.TaskLogger;
import dev.weir.model.TaskSpec;
import dev.weir.operators.RenderedFields;
import dev.weir.run.Durations;
import dev.weir.run.RunContext;
import dev.weir.run.SkipTask;
import dev.weir.run.TaskInstanceContext;
import dev.weir.run.TryOutcome;
import dev.weir.state.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs one try of a sensor or a {@code triggerDagRun} task. In poke mode the try pokes, sleeps and
 * pokes again until the condition holds or the timeout passes; in reschedule mode it pokes once and
 * ends up_for_reschedule with the time of the next poke, freeing its worker slot. The timeout
 * counts from the instance's first start, over all its tries and pokes; the execution timeout, as
 * for every task, limits one try. Thread-safe.
 */
public final class SensorRunner {
  private final CodeRunner code;
  private final SensorSupport support;

  public SensorRunner(CodeRunner code, SensorSupport support) {
    this.code = code;
    this.support = support;
  }

  /** Whether this runner runs tasks of this kind. */
  public static boolean runs(TaskAction action) {
    return action instanceof TaskAction.Sensor || action instanceof TaskAction.TriggerDagRun;
  }

  /**
   * Whether a failed try of this task is final because its sensor timeout has passed: retrying
   * cannot help, the timeout counts over all tries (Airflow does not retry a timed-out sensor).
   */
  public static boolean timedOutForGood(TaskSpec task, Instant firstStartedAt, Instant now) {
    SensorOptions options = options(task.action());
    return options != null
        && firstStartedAt != null
        && !now.isBefore(firstStartedAt.plus(options.timeout()));
  }

  private static SensorOptions options(TaskAction action) {
    if (action instanceof TaskAction.Sensor sensor) {
      return sensor.options();
    } else if (action instanceof TaskAction.TriggerDagRun trigger) {
      return trigger.options();
    }
    return null;
  }

  /**
   * Runs one try.
   *
   * @param rendered where the try keeps the template fields it renders
   * @throws InterruptedException when the try is stopped, also while it sleeps between pokes
   */
  public TryOutcome run(
      TaskSpec task, TaskInstanceContext context, TaskLogger log, RenderedFields rendered)
      throws InterruptedException {
    Callable<TryOutcome> body = () -> runTry(task, context, log, rendered);
    CodeOutcome<TryOutcome> outcome =
        task.executionTimeout() == null
            ? code.runHere(body)
            : code.run(body, task.executionTimeout());
    if (outcome.timedOut()) {
      return new TryOutcome(
          TaskState.FAILED,
          null,
          "timed out after " + Durations.format(task.executionTimeout()),
          outcome.duration());
    }
    Throwable error = outcome.error();
    if (error instanceof SkipTask skip) {
      log.info("Skipping: {}", skip.getMessage());
      return new TryOutcome(TaskState.SKIPPED, null, null, outcome.duration());
    }
    if (error instanceof SensorProblem || error instanceof RunLookup.Unavailable) {
      String kind = task.action().kind();
      String message =
          error instanceof RunLookup.Unavailable
              ? kind + " needs the metadata store: " + error.getMessage()
              : error.getMessage();
      return new TryOutcome(TaskState.FAILED, null, message, outcome.duration());
    }
    if (error != null) {
      java.io.StringWriter trace = new java.io.StringWriter();
      error.printStackTrace(new java.io.PrintWriter(trace));
      log.error("{}", trace.toString().stripTrailing());
      String message = error.getMessage();
      return new TryOutcome(
          TaskState.FAILED,
          null,
          error.getClass().getSimpleName() + (message == null ? "" : ": " + message),
          outcome.duration());
    }
    TryOutcome ended = outcome.result();
    return new TryOutcome(
        ended.state(),
        ended.result(),
        ended.error(),
        outcome.duration(),
        ended.xcoms(),
        ended.skip(),
        ended.rescheduleAt());
  }

  private TryOutcome runTry(
      TaskSpec task, TaskInstanceContext context, TaskLogger log, RenderedFields rendered)
      throws Exception {
    Instant now = support.clock().instant();
    Instant firstStart = context.firstStartedAt() == null ? now : context.firstStartedAt();
    RunContext run = context.run();
    Rendering rendering = new Rendering(context.templateVariables(), rendered);
    if (task.action() instanceof TaskAction.TriggerDagRun trigger) {
      return trigger(trigger, context, rendering, firstStart, log);
    }
    TaskAction.Sensor sensor = (TaskAction.Sensor) task.action();
    Check check = check(sensor.check(), context, run, rendering);
    return pokeUntilDone(check, sensor.options(), firstStart, log);
  }

  private Check check(
      SensorCheck spec, TaskInstanceContext context, RunContext run, Rendering rendering) {
    ZoneId zone = run.dag().timezone();
    if (spec instanceof SensorCheck.Code body) {
      return new CodeCheck(body.body(), context);
    } else if (spec instanceof SensorCheck.File file) {
      return new FileCheck(
          FileCheck.resolve(
              rendering.text("path", file.path()), rendering.text("baseDir", file.baseDir())));
    } else if (spec instanceof SensorCheck.ExternalTask external) {
      return new ExternalTaskCheck(external, run.interval().logicalDate(), zone, support.runs());
    } else if (spec instanceof SensorCheck.DateTime dateTime) {
      Instant target =
          dateTime.targetTime() != null
              ? Rendering.instant(
                  "targetTime", rendering.text("targetTime", dateTime.targetTime()), zone)
              : run.interval().end().plus(dateTime.afterIntervalEnd());
      return new DateTimeCheck(target, zone, support.clock());
    } else if (spec instanceof SensorCheck.Sql sql) {
      return SqlCheck.of(sql, context, rendering);
    } else if (spec instanceof SensorCheck.Http http) {
      return HttpCheck.of(http, context, rendering);
    }
    throw new SensorProblem("unknown sensor kind " + spec.kind());
  }

  private TryOutcome trigger(
      TaskAction.TriggerDagRun trigger,
      TaskInstanceContext context,
      Rendering rendering,
      Instant firstStart,
      TaskLogger log)
      throws Exception {
    ZoneId zone = context.run().dag().timezone();
    String dagId = rendering.text("dagId", trigger.dagId());
    @SuppressWarnings("unchecked")
    Map<String, Object> conf = (Map<String, Object>) rendering.deep("conf", trigger.conf());
    Instant logicalDate =
        trigger.logicalDate() == null
            ? null
            : Rendering.instant(
                "logicalDate", rendering.text("logicalDate", trigger.logicalDate()), zone);
    String runId = TriggeredRunIds.of(context);
    RunLookup.TriggeredRun triggered;
    try {
      triggered = support.runs().trigger(dagId, runId, conf, logicalDate);
    } catch (IllegalArgumentException e) {
      throw new SensorProblem(e.getMessage(), e);
    }
    if (triggered.created()) {
      log.info(
          "Triggered run {} of dag {} at logical date {}",
          runId,
          dagId,
          dev.weir.run.Dates.iso(triggered.logicalDate(), zone));
    } else {
      log.info(
          "Run {} of dag {} exists already (triggered earlier); not triggering again",
          runId,
          dagId);
    }
    if (triggered.dagPaused()) {
      log.warn("Dag {} is paused: its run starts once it is unpaused", dagId);
    }
    context.getXcom().push("trigger_run_id", runId);
    if (!trigger.waitForCompletion()) {
      return new TryOutcome(TaskState.SUCCESS, runId, null, Duration.ZERO);
    }
    Check check =
        new RunStateCheck(
            dagId, runId, trigger.allowedStates(), trigger.failedStates(), support.runs());
    return pokeUntilDone(check, trigger.options(), firstStart, log);
  }

  /** The poke loop: in poke mode until done or timed out, in reschedule mode one poke. */
  private TryOutcome pokeUntilDone(
      Check check, SensorOptions options, Instant firstStart, TaskLogger log) throws Exception {
    Instant deadline = firstStart.plus(options.timeout());
    Backoff backoff = new Backoff(options);
    int pokes = 0;
    while (true) {
      Poke poke = check.poke();
      pokes++;
      if (poke.status() == Poke.Status.DONE) {
        log.info("Poke {}: done", pokes);
        return new TryOutcome(TaskState.SUCCESS, poke.value(), null, Duration.ZERO);
      }
      if (poke.status() == Poke.Status.FAIL) {
        return stop(options, poke.message(), false, log);
      }
      Instant now = support.clock().instant();
      if (!now.isBefore(deadline)) {
        return stop(
            options,
            "sensor timed out: not done "
                + Durations.format(Duration.between(firstStart, now))
                + " after its first poke (timeout "
                + Durations.format(options.timeout())
                + "; "
                + poke.message()
                + ")",
            true,
            log);
      }
      Duration wait;
      if (poke.notBefore() != null) {
        wait = Duration.between(now, poke.notBefore());
      } else if (options.mode() == SensorOptions.Mode.RESCHEDULE) {
        wait = backoff.afterElapsed(Duration.between(firstStart, now));
      } else {
        wait = backoff.afterPoke(pokes);
      }
      Instant next = now.plus(wait).isAfter(deadline) ? deadline : now.plus(wait);
      if (options.mode() == SensorOptions.Mode.RESCHEDULE) {
        log.info("Poke {}: not yet, {}; poking again at {}", pokes, poke.message(), next);
        return new TryOutcome(
            TaskState.UP_FOR_RESCHEDULE, null, null, Duration.ZERO, null, null, next);
      }
      Duration sleep = Duration.between(now, next);
      log.info(
          "Poke {}: not yet, {}; poking again in {}",
          pokes,
          poke.message(),
          Durations.format(sleep));
      support.sleeper().sleep(sleep);
    }
  }

  /**
   * A timeout or a failed state: failed, or skipped with softFail. A timeout is not retried (see
   * {@link #timedOutForGood}); a failed state is, as any failure.
   */
  private static TryOutcome stop(
      SensorOptions options, String why, boolean timeout, TaskLogger log) {
    if (options.softFail()) {
      log.info("Skipping (softFail): {}", why);
      return new TryOutcome(TaskState.SKIPPED, null, null, Duration.ZERO);
    }
    if (timeout) {
      log.error("{}; a timed-out sensor is not retried", why);
    }
    return new TryOutcome(TaskState.FAILED, null, why, Duration.ZERO);
  }
}
