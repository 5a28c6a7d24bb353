package dev.weir.dsl;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The settings of a {@code sql('id') { … }} task. */
public final class SqlSettings extends TaskSettings {
  static final int DEFAULT_MAX_ROWS = 1000;
  private static final List<String> KEYWORDS =
      Stream.concat(
              Stream.of("conn", "statement", "file", "parameters", "maxRows"),
              TaskSettings.KEYWORDS.stream())
          .toList();

  private final SqlParts sql;
  private String conn;
  private int maxRows = DEFAULT_MAX_ROWS;

  SqlSettings(TaskSettings parent, DslSession session) {
    super(parent);
    this.sql = new SqlParts(session);
  }

  /** The id of the database connection. */
  public void conn(Object value) {
    conn = text("conn", value);
  }

  /**
   * The SQL: one or more statements separated by {@code ;}, run in order in one transaction; a
   * template. Or {@code statement file('sql/load.sql')}.
   */
  public void statement(Object value) {
    sql.set("statement", value);
  }

  /** A {@code .sql} file next to the script (or in a folder below it), read when the task runs. */
  public SqlFile file(Object path) {
    return sql.file(path);
  }

  /** Values of {@code ?} markers, in order across all statements; strings are templates. */
  public void parameters(List<?> values) {
    sql.parameters(values);
  }

  /** Values of {@code :name} markers; strings are templates. */
  public void parameters(Map<String, ?> values) {
    sql.parameters(values);
  }

  /** The most rows of the last query kept as the task's result (default 1000). */
  public void maxRows(Object value) {
    maxRows = nonNegative("maxRows", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "conn" -> conn(value);
      case "statement" -> statement(value);
      case "file" -> file(value);
      case "parameters" -> sql.parameters(value);
      case "maxRows" -> maxRows(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return KEYWORDS;
  }

  String conn() {
    return conn;
  }

  SqlParts sql() {
    return sql;
  }

  int maxRows() {
    return maxRows;
  }
}
