package dev.weir.dagbag;

import java.time.Instant;

/**
 * A DAG file that could not be loaded; the file's DAGs are missing until it is fixed.
 *
 * @param file the file's path relative to the DAGs folder's parent, such as {@code dags/etl.groovy}
 * @param line the 1-based line of the problem, or 0 when it has no line
 * @param message the whole message, starting with {@code file:line: }
 * @param timestamp when the problem was first seen
 */
public record ImportError(String file, int line, String message, Instant timestamp) {}
