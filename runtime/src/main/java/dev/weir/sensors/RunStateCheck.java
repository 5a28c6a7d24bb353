package dev.weir.sensors;

import java.util.List;
import java.util.Optional;

/**
 * {@code triggerDagRun} with {@code waitForCompletion}: the triggered run reaches a given state.
 */
final class RunStateCheck implements Check {
  private final String dagId;
  private final String runId;
  private final List<String> allowed;
  private final List<String> failed;
  private final RunLookup runs;

  RunStateCheck(
      String dagId, String runId, List<String> allowed, List<String> failed, RunLookup runs) {
    this.dagId = dagId;
    this.runId = runId;
    this.allowed = allowed;
    this.failed = failed;
    this.runs = runs;
  }

  @Override
  public Poke poke() {
    Optional<String> state = runs.runState(dagId, runId).map(s -> s.label());
    String what = "run " + runId + " of dag '" + dagId + "'";
    if (state.isEmpty()) {
      throw new SensorProblem(what + " no longer exists");
    }
    if (failed.contains(state.get())) {
      return Poke.failed(what + " ended " + state.get());
    }
    if (allowed.contains(state.get())) {
      return Poke.done(runId);
    }
    return Poke.waiting(what + " is " + state.get());
  }
}
