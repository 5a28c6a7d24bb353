package dev.weir.scheduler;

import dev.weir.state.TaskState;

/**
 * A task instance a mark changed: one that was marked, or one downstream of a task marked success
 * that was cleared (to none) so that it runs again.
 *
 * @param mapIndex the index of a mapped task's instance, or -1
 */
public record MarkedInstance(String taskId, int mapIndex, TaskState from, TaskState to) {

  /** The instance's name within its run: the task id, with {@code [i]} for a mapped instance. */
  public String key() {
    return dev.weir.store.TaskInstanceRow.key(taskId, mapIndex);
  }
}
