package dev.weir.run;

import dev.weir.executor.TaskLog;
import dev.weir.model.DagSpec;
import dev.weir.model.TaskSpec;
import dev.weir.state.TaskState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

/** What a branch or short circuit's result means: which downstream tasks to skip. */
final class Branches {
  private Branches() {}

  /**
   * A branch returned the ids of the directly downstream tasks to follow (a string, a list, or
   * nothing to follow none); the other directly downstream tasks are skipped, and the usual trigger
   * rules carry the skip further.
   */
  static TryOutcome follow(
      TaskSpec task, TryOutcome outcome, TaskInstanceContext context, TaskLog log) {
    if (outcome.state() != TaskState.SUCCESS) {
      return outcome;
    }
    DagSpec dag = context.run().dag();
    Set<String> downstream = dag.downstream(task.id());
    Set<String> chosen = new LinkedHashSet<>();
    Object result = outcome.result();
    Collection<?> ids =
        result == null
            ? List.of()
            : result instanceof Collection<?> many ? many : List.of(String.valueOf(result));
    for (Object id : ids) {
      String taskId = String.valueOf(id);
      if (!downstream.contains(taskId)) {
        return new TryOutcome(
            TaskState.FAILED,
            null,
            "branch '"
                + task.id()
                + "' chose '"
                + taskId
                + "', which is not directly downstream of it; it can choose "
                + (downstream.isEmpty() ? "nothing" : String.join(", ", downstream)),
            outcome.duration());
      }
      chosen.add(taskId);
    }
    Set<String> skipped = new LinkedHashSet<>(downstream);
    skipped.removeAll(chosen);
    log.info(
        "Following {}; skipping {}",
        chosen.isEmpty() ? "nothing" : String.join(", ", chosen),
        skipped.isEmpty() ? "nothing" : String.join(", ", skipped));
    return new TryOutcome(TaskState.SUCCESS, new ArrayList<>(chosen), null, outcome.duration())
        .withSkip(skipped);
  }

  /** A short circuit whose result is false (Groovy truth) skips every task downstream of it. */
  static TryOutcome shortCircuit(
      TaskSpec task, TryOutcome outcome, TaskInstanceContext context, TaskLog log) {
    if (outcome.state() != TaskState.SUCCESS) {
      return outcome;
    }
    boolean proceed = DefaultTypeTransformation.castToBoolean(outcome.result());
    if (proceed) {
      log.info("Condition is true; downstream tasks go on");
      return new TryOutcome(TaskState.SUCCESS, true, null, outcome.duration());
    }
    Set<String> all = new LinkedHashSet<>();
    collect(context.run().dag(), task.id(), all);
    log.info("Condition is false; skipping every downstream task: {}", String.join(", ", all));
    return new TryOutcome(TaskState.SUCCESS, false, null, outcome.duration()).withSkip(all);
  }

  private static void collect(DagSpec dag, String taskId, Set<String> into) {
    for (String next : dag.downstream(taskId)) {
      if (into.add(next)) {
        collect(dag, next, into);
      }
    }
  }
}
