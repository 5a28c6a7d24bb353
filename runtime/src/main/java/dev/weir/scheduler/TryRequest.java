package dev.weir.scheduler;

import dev.weir.model.TaskSpec;
import dev.weir.run.RunContext;
import java.nio.file.Path;

/** One try for an executor to run. */
record TryRequest(
    long runPk, String taskId, int tryNumber, TaskSpec task, RunContext context, Path logFile) {

  TryKey key() {
    return new TryKey(runPk, taskId, tryNumber);
  }
}
