package dev.weir.model;

/**
 * Where a DAG was defined.
 *
 * @param file the script's path as shown to users, such as {@code dags/daily_sales.groovy}
 * @param line the line of its {@code dag(…)} call, or 0 when unknown
 * @param sha256 the hex SHA-256 of the script's text
 */
public record ScriptSource(String file, int line, String sha256) {}
