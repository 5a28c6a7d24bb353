package dev.weir.run;

import dev.weir.state.RunState;
import java.util.List;

/** The outcome of a local DAG run: the run's state and each task instance, in topological order. */
public record RunReport(RunContext run, RunState state, List<TaskInstanceReport> taskInstances) {
  public RunReport {
    taskInstances = List.copyOf(taskInstances);
  }
}
