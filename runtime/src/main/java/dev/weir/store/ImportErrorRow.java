package dev.weir.store;

import java.time.Instant;

/** A DAG file that could not be loaded, as the store keeps it. */
public record ImportErrorRow(String file, int line, String message, Instant timestamp) {}
