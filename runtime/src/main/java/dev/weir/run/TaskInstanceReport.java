package dev.weir.run;

import dev.weir.state.TaskState;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A task instance of a finished local run.
 *
 * @param tryNumber the number of the last try, 0 when it never ran
 * @param start when its first try started, or null
 * @param end when its last try ended, or null
 * @param logFile the last try's log, or null
 */
public record TaskInstanceReport(
    String taskId,
    TaskState state,
    int tryNumber,
    Instant start,
    Instant end,
    Object result,
    String error,
    Path logFile) {}
