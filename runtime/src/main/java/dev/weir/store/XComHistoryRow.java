package dev.weir.store;

import java.time.Instant;

/**
 * A value one task pushed under one key in one run: a point of a chart across runs.
 *
 * @param mapIndex the index of a mapped task's instance, or -1
 * @param valueJson the value as stored: JSON text
 */
public record XComHistoryRow(String runId, Instant logicalDate, int mapIndex, String valueJson) {}
