package dev.weir.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.Batch;
import dev.weir.store.CommandRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.MetadataStore;
import dev.weir.store.TaskInstanceRow;
import dev.weir.store.TaskTryRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Changes users ask for (clearing task instances, marking task instances and runs), carried out the
 * same way by the live scheduler (for a request another process posted) and by a command line with
 * no scheduler running.
 */
final class Commands {
  static final String CLEAR = "clear";
  static final String MARK_TASKS = "mark_tasks";
  static final String MARK_RUN = "mark_run";
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

  private final MetadataStore store;
  private final DagVersions versions;
  private final Clock clock;

  Commands(MetadataStore store, DagVersions versions, Clock clock) {
    this.store = store;
    this.versions = versions;
    this.clock = clock;
  }

  /** Where a request finds runs and leaves its changes. */
  interface RunAccess {
    /** The run in memory, or null when it is not there. */
    ActiveRun find(long runPk);

    Batch batch();

    /** Stops a running try. */
    void cancel(TryKey key);

    /** Takes a run whose instances were cleared or marked, to evaluate them. */
    void adopt(ActiveRun run);

    /** Lets go of a run that a request finished: nothing more is evaluated in it. */
    void release(ActiveRun run);

    /** Says that a user marked this instance, so later runs' dependsOnPast can look again. */
    void marked(ActiveRun run, TaskInstanceRow instance);
  }

  /** Access for a process with no live scheduler: runs come from the store and go back to it. */
  static final class LocalAccess implements RunAccess {
    private final Batch batch = new Batch();
    private final Map<Long, ActiveRun> adopted = new HashMap<>();

    @Override
    public ActiveRun find(long runPk) {
      return adopted.get(runPk);
    }

    @Override
    public Batch batch() {
      return batch;
    }

    @Override
    public void cancel(TryKey key) {}

    @Override
    public void adopt(ActiveRun run) {
      adopted.put(run.pk(), run);
    }

    @Override
    public void release(ActiveRun run) {}

    @Override
    public void marked(ActiveRun run, TaskInstanceRow instance) {}
  }

  /** The run requests of users change through this scheduler. */
  private static RunAccess live(SchedulerCore core) {
    return new RunAccess() {
      @Override
      public ActiveRun find(long runPk) {
        return core.activeRun(runPk);
      }

      @Override
      public Batch batch() {
        return core.batch();
      }

      @Override
      public void cancel(TryKey key) {
        core.cancel(key);
      }

      @Override
      public void adopt(ActiveRun run) {
        core.adopt(run);
      }

      @Override
      public void release(ActiveRun run) {
        core.release(run);
      }

      @Override
      public void marked(ActiveRun run, TaskInstanceRow instance) {
        core.marked(run, instance);
      }
    };
  }

  /** A run of the store with its instances, bound to the DAG version it runs. */
  ActiveRun load(DagRunRow row) {
    DagSpec dag = versions.get(row.versionId(), row.dagId());
    return new ActiveRun(
        row, dag, store.taskInstances(row.id()), ActiveRun.context(row, dag, conf(row)));
  }

  /** One instance in state none per task, for a new run. */
  static List<TaskInstanceRow> freshInstances(DagSpec dag) {
    List<TaskInstanceRow> rows = new ArrayList<>();
    for (String taskId : dag.topologicalOrder()) {
      rows.add(TaskInstances.fresh(0, taskId, dag.tasks().get(taskId).maxTries()));
    }
    return rows;
  }

  /** A request to mark a run, as posted. */
  record RunMark(String dagId, String runId, RunState state) {}

  /** Carries out a posted request; returns what it did as JSON. */
  String apply(CommandRow command, SchedulerCore core) {
    RunAccess access = live(core);
    switch (command.kind()) {
      case CLEAR:
        return write(clear(read(command.payload(), ClearRequest.class), access));
      case MARK_TASKS:
        return write(marks().markTasks(read(command.payload(), MarkRequest.class), access));
      case MARK_RUN:
        RunMark mark = read(command.payload(), RunMark.class);
        return write(marks().markRun(mark.dagId(), mark.runId(), mark.state(), access).runId());
      default:
        throw new IllegalArgumentException("unknown request kind " + command.kind());
    }
  }

  Marks marks() {
    return new Marks(store, this, clock);
  }

  /**
   * Resets the chosen task instances to none, raising their max tries so they get their retries
   * again (as Airflow does), and queues their finished runs again. A running try is stopped.
   *
   * @throws IllegalArgumentException when the task regex is not a valid pattern or a run is unknown
   */
  List<ClearedInstance> clear(ClearRequest request, RunAccess access) {
    Pattern pattern = null;
    if (request.taskRegex() != null) {
      try {
        pattern = Pattern.compile(request.taskRegex());
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "--task-regex '"
                + request.taskRegex()
                + "' is not a valid pattern: "
                + e.getDescription());
      }
    }
    Instant now = clock.instant();
    List<ClearedInstance> cleared = new ArrayList<>();
    for (DagRunRow row : runs(request)) {
      ActiveRun run = access.find(row.id());
      if (run == null) {
        run = load(row);
      }
      Set<String> chosen = choose(run, request, pattern);
      Batch batch = access.batch();
      for (String taskId : chosen) {
        TaskSpec task = run.dag().tasks().get(taskId);
        List<TaskInstanceRow> instances = run.instancesOf(taskId);
        if (task == null
            || instances.isEmpty()
            || instances.stream().allMatch(i -> i.state() == TaskState.NONE)) {
          continue;
        }
        int tries = 0;
        for (TaskInstanceRow instance : instances) {
          tries = Math.max(tries, instance.tryNumber());
          if (instance.state() == TaskState.RUNNING || instance.state() == TaskState.QUEUED) {
            access.cancel(new TryKey(run.pk(), instance.key(), instance.tryNumber()));
            batch.endTry(
                new TaskTryRow(
                    run.pk(),
                    taskId,
                    instance.tryNumber(),
                    TaskState.FAILED,
                    instance.startDate() == null ? now : instance.startDate(),
                    now,
                    "",
                    "",
                    "cleared while running",
                    instance.mapIndex()));
          }
          cleared.add(new ClearedInstance(row.runId(), instance.key(), instance.state()));
        }
        if (instances.get(0).mapIndex() >= 0) {
          // A cleared mapped task expands again, over its list as it is when it runs again.
          TaskInstanceRow placeholder =
              TaskInstances.cleared(
                  new TaskInstanceRow(
                      run.pk(), taskId, TaskState.NONE, tries, tries, null, null, null, null),
                  task.retries());
          run.collapse(taskId, placeholder, batch);
        } else {
          run.reset(TaskInstances.cleared(instances.get(0), task.retries()), batch);
        }
      }
      if (cleared.stream().anyMatch(c -> c.runId().equals(row.runId()))) {
        if (run.state().isFinished()) {
          run.moveTo(RunState.QUEUED, now, batch);
        }
        access.adopt(run);
      }
    }
    return cleared;
  }

  private List<DagRunRow> runs(ClearRequest request) {
    if (!request.runIds().isEmpty()) {
      List<DagRunRow> runs = new ArrayList<>();
      for (String runId : request.runIds()) {
        runs.add(
            store
                .run(request.dagId(), runId)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "DAG " + request.dagId() + " has no run " + runId)));
      }
      return runs;
    }
    Instant from = request.from() == null ? Instant.EPOCH : request.from();
    Instant to = request.to() == null ? Instant.parse("9999-12-31T00:00:00Z") : request.to();
    return store.runsBetween(request.dagId(), from, to);
  }

  private static Set<String> choose(ActiveRun run, ClearRequest request, Pattern pattern) {
    DagSpec dag = run.dag();
    Set<String> chosen = new LinkedHashSet<>();
    for (String taskId : dag.topologicalOrder()) {
      if (pattern == null || pattern.matcher(taskId).find()) {
        chosen.add(taskId);
      }
    }
    Set<String> related = new HashSet<>();
    for (String taskId : chosen) {
      if (request.downstream()) {
        collect(dag, taskId, true, related);
      }
      if (request.upstream()) {
        collect(dag, taskId, false, related);
      }
    }
    chosen.addAll(related);
    if (request.onlyFailed()) {
      chosen.removeIf(
          taskId ->
              run.instancesOf(taskId).stream()
                  .noneMatch(
                      instance ->
                          instance.state() == TaskState.FAILED
                              || instance.state() == TaskState.UPSTREAM_FAILED));
    }
    return chosen;
  }

  private static void collect(DagSpec dag, String taskId, boolean down, Set<String> into) {
    for (String next : down ? dag.downstream(taskId) : dag.upstream(taskId)) {
      if (into.add(next)) {
        collect(dag, next, down, into);
      }
    }
  }

  static Map<String, Object> conf(DagRunRow row) {
    return conf(row.conf());
  }

  static Map<String, Object> conf(String json) {
    return read(json, new TypeReference<Map<String, Object>>() {});
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON for " + type.getSimpleName(), e);
    }
  }

  static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }
}
