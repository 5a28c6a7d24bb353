package dev.weir.dsl;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The settings of a {@code sqlToSql('id') { … }} task: where rows come from and go to. */
public final class SqlToSqlSettings extends TaskSettings {
  static final int DEFAULT_BATCH_SIZE = 1000;
  private static final List<String> KEYWORDS =
      Stream.concat(
              Stream.of(
                  "source",
                  "query",
                  "file",
                  "parameters",
                  "target",
                  "table",
                  "batchSize",
                  "preSql"),
              TaskSettings.KEYWORDS.stream())
          .toList();

  private final SqlParts query;
  private String source;
  private String target;
  private String table;
  private int batchSize = DEFAULT_BATCH_SIZE;
  private String preSql;

  SqlToSqlSettings(TaskSettings parent, DslSession session) {
    super(parent);
    this.query = new SqlParts(session);
  }

  /** The id of the connection the rows are read from. */
  public void source(Object value) {
    source = text("source", value);
  }

  /** The query whose rows are copied (a template), or {@code query file('sql/extract.sql')}. */
  public void query(Object value) {
    query.set("query", value);
  }

  /** A {@code .sql} file next to the script holding the query. */
  public SqlFile file(Object path) {
    return query.file(path);
  }

  /** Values of the query's {@code ?} markers; strings are templates. */
  public void parameters(List<?> values) {
    query.parameters(values);
  }

  /** Values of the query's {@code :name} markers; strings are templates. */
  public void parameters(Map<String, ?> values) {
    query.parameters(values);
  }

  /** The id of the connection the rows are written to. */
  public void target(Object value) {
    target = text("target", value);
  }

  /** The table of the target the rows are inserted into; its columns are the query's labels. */
  public void table(Object value) {
    table = text("table", value);
  }

  /** How many rows one JDBC batch inserts (and the source fetches at a time); default 1000. */
  public void batchSize(Object value) {
    batchSize = positive("batchSize", value);
  }

  /** SQL run on the target first, in the same transaction as the inserts; a template. */
  public void preSql(Object value) {
    preSql = text("preSql", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "source" -> source(value);
      case "query" -> query(value);
      case "file" -> file(value);
      case "parameters" -> query.parameters(value);
      case "target" -> target(value);
      case "table" -> table(value);
      case "batchSize" -> batchSize(value);
      case "preSql" -> preSql(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return KEYWORDS;
  }

  String source() {
    return source;
  }

  SqlParts query() {
    return query;
  }

  String target() {
    return target;
  }

  String table() {
    return table;
  }

  int batchSize() {
    return batchSize;
  }

  String preSql() {
    return preSql;
  }
}
