package dev.weir.store;

import java.time.Instant;

/** Which scheduler process is the live one of a store. */
public record Lease(
    String schedulerId, String hostname, long pid, Instant startedAt, Instant heartbeatAt) {}
