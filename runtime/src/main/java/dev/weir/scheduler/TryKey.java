package dev.weir.scheduler;

/** Names one try of one task instance. */
record TryKey(long runPk, String taskId, int tryNumber) {}
