package dev.weir.store;

import java.time.Instant;

/** A value a task instance pushed, as stored: JSON text. */
public record XComRow(
    long runPk, String taskId, int mapIndex, String key, String json, Instant createdAt) {}
