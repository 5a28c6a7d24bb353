package dev.weir.scheduler;

import dev.weir.store.TaskInstanceRow;

/**
 * Names one try of one task instance.
 *
 * @param instanceKey the instance's {@link TaskInstanceRow#key()}: the task id, or {@code id[i]}
 */
record TryKey(long runPk, String instanceKey, int tryNumber) {}
