package dev.weir.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a {@code sql} or {@code sqlToSql} task: inline text or a {@code .sql} file read when
 * the task runs, both templates; with positional ({@code ?}) or named ({@code :name}) parameters,
 * whose string values are templates too.
 *
 * @param text the SQL, or null when it is in {@code file}
 * @param file the absolute path of a {@code .sql} file, or null
 * @param parameters values for {@code ?} markers in order across the statements, or null
 * @param namedParameters values for {@code :name} markers, or null
 */
public record SqlText(
    String text, Path file, List<Object> parameters, Map<String, Object> namedParameters) {

  public SqlText {
    if ((text == null) == (file == null)) {
      throw new IllegalArgumentException("SQL needs either a text or a file");
    }
    if (parameters != null && namedParameters != null) {
      throw new IllegalArgumentException("SQL takes positional or named parameters, not both");
    }
    // Not List.copyOf: a parameter may be null (SQL NULL).
    parameters =
        parameters == null ? null : Collections.unmodifiableList(new ArrayList<>(parameters));
    namedParameters =
        namedParameters == null
            ? null
            : Collections.unmodifiableMap(new LinkedHashMap<>(namedParameters));
  }

  /** Where the SQL comes from, for messages: the file, or {@code statement}. */
  public String origin() {
    return file == null ? "statement" : file.toString();
  }
}
