package dev.weir.run;

import dev.weir.model.TaskSpec;
import java.time.Instant;

/**
 * One try of one task instance, as handed to {@link TaskRunner}.
 *
 * @param mapIndex the index of a mapped task's instance, or -1
 * @param firstStartedAt when the instance's first try (or first poke of a sensor) started, or null
 *     when this try is the first; sensors measure their timeout from it
 */
public record TaskAttempt(
    TaskSpec task, RunContext run, int mapIndex, int tryNumber, Instant firstStartedAt) {

  /** The try of an unmapped task. */
  public static TaskAttempt of(TaskSpec task, RunContext run, int tryNumber) {
    return new TaskAttempt(task, run, -1, tryNumber, null);
  }
}
