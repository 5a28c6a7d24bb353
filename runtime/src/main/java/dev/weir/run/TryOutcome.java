package dev.weir.run;

import dev.weir.state.TaskState;
import java.time.Duration;

/**
 * How one try ended.
 *
 * @param state success, failed or skipped
 * @param result a Groovy task's return value (or a bash task's last output line), or null
 * @param error why it failed, or null
 */
public record TryOutcome(TaskState state, Object result, String error, Duration duration) {}
