package dev.weir.scheduler;

import dev.weir.run.TaskAttempt;
import dev.weir.store.TaskInstanceRow;
import java.nio.file.Path;

/** One try for an executor to run. */
record TryRequest(long runPk, TaskAttempt attempt, Path logFile) {

  String taskId() {
    return attempt.task().id();
  }

  int tryNumber() {
    return attempt.tryNumber();
  }

  TryKey key() {
    return new TryKey(runPk, TaskInstanceRow.key(taskId(), attempt.mapIndex()), tryNumber());
  }
}
