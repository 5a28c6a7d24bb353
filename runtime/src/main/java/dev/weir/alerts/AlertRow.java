package dev.weir.alerts;

import dev.weir.model.CallbackEvent;
import java.time.Instant;

/** Stand-in for the store's outbox row until the store has one. */
record AlertRow(
    long id,
    long runPk,
    String dagId,
    String runId,
    CallbackEvent event,
    String taskId,
    int mapIndex,
    int tryNumber,
    String error,
    Instant createdAt) {}
