package dev.weir.store;

import java.time.Instant;

/**
 * A request to the live scheduler, posted by another process.
 *
 * @param payload the request as JSON
 * @param doneAt when the scheduler carried it out, or null while pending
 * @param result what it did, as JSON, or null
 * @param error why it could not, or null
 */
public record CommandRow(
    long id,
    String kind,
    String payload,
    Instant createdAt,
    Instant doneAt,
    String result,
    String error) {}
