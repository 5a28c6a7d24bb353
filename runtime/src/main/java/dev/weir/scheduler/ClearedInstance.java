package dev.weir.scheduler;

import dev.weir.state.TaskState;

/** A task instance a clear reset, and the state it had. */
public record ClearedInstance(String runId, String taskId, TaskState previousState) {}
