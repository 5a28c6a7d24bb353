package dev.weir.store;

import java.time.Instant;

/**
 * A worker pool's last heartbeat.
 *
 * @param slots how many tries it may run at once
 * @param running how many tries it ran at the heartbeat
 */
public record WorkerRow(
    String workerId,
    String hostname,
    long pid,
    int slots,
    int running,
    Instant startedAt,
    Instant heartbeatAt) {}
