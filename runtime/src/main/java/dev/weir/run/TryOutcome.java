package dev.weir.run;

import dev.weir.state.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * How one try ended.
 *
 * @param state success, failed, skipped or up_for_reschedule
 * @param result a Groovy task's return value (or a bash task's last output line), or null
 * @param error why it failed, or null
 * @param xcoms the XCom values the try pushed, by key, including its result under {@code
 *     return_value}; written with the try's end
 * @param skip ids of downstream tasks to skip: the paths a branch did not choose, or everything
 *     after a short circuit that returned false
 * @param rescheduleAt when a sensor in reschedule mode pokes again; set only for up_for_reschedule
 */
public record TryOutcome(
    TaskState state,
    Object result,
    String error,
    Duration duration,
    Map<String, Object> xcoms,
    Set<String> skip,
    Instant rescheduleAt) {

  public TryOutcome {
    // Not Map.copyOf: values may be null.
    xcoms =
        xcoms == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(xcoms));
    skip = skip == null ? Set.of() : Set.copyOf(skip);
  }

  public TryOutcome(TaskState state, Object result, String error, Duration duration) {
    this(state, result, error, duration, null, null, null);
  }

  public TryOutcome withXComs(Map<String, Object> values) {
    return new TryOutcome(state, result, error, duration, values, skip, rescheduleAt);
  }

  public TryOutcome withSkip(Set<String> taskIds) {
    return new TryOutcome(state, result, error, duration, xcoms, taskIds, rescheduleAt);
  }
}
