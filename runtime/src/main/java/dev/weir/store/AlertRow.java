package dev.weir.store;

import dev.weir.model.CallbackEvent;
import java.time.Instant;

/**
 * An event waiting in the alert outbox (or delivered), with its run's ids.
 *
 * @param taskId the task, or null for a run event
 * @param mapIndex the mapped instance, or -1
 * @param tryNumber the try that ended, or 0 for a run event
 * @param error the error of the try or run, or null
 */
public record AlertRow(
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
