package dev.weir.dsl;

import dev.weir.model.SqlText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQL text or file and the parameters shared by {@code sql} and {@code sqlToSql} tasks. */
final class SqlParts {
  private final DslSession session;
  private String text;
  private Path file;
  private List<Object> parameters;
  private Map<String, Object> namedParameters;

  SqlParts(DslSession session) {
    this.session = session;
  }

  void set(String field, Object value) {
    if (value instanceof SqlFile sqlFile) {
      file = sqlFile.path();
      text = null;
    } else if (value instanceof CharSequence s) {
      text = s.toString();
      file = null;
    } else {
      throw new DslException(
          field + " takes SQL text or file('path.sql'), got " + Names.describe(value));
    }
  }

  /** Resolves a path next to the script, checks that the file is there, and uses it. */
  SqlFile file(Object path) {
    String name = TaskSettings.text("file", path);
    Path resolved = session.folder().resolve(name).normalize();
    if (!Files.isRegularFile(resolved)) {
      throw new DslException(
          "SQL file '" + name + "' not found (looked for " + resolved + ", next to the script)");
    }
    SqlFile sqlFile = new SqlFile(resolved);
    set("file", sqlFile);
    return sqlFile;
  }

  void parameters(Object values) {
    if (values instanceof Map<?, ?> map) {
      Map<String, Object> named = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String name = String.valueOf(k);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
              throw new DslException(
                  "parameter name '"
                      + name
                      + "' must be letters, digits and _ (used as :"
                      + name
                      + ")");
            }
            named.put(name, plain("parameter " + name, v));
          });
      namedParameters = named;
      parameters = null;
    } else if (values instanceof List<?> list) {
      List<Object> positional = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        positional.add(plain("parameter " + (i + 1), list.get(i)));
      }
      parameters = positional;
      namedParameters = null;
    } else {
      throw new DslException(
          "parameters takes a list (for ? markers) or a map (for :name markers), got "
              + Names.describe(values));
    }
  }

  /**
   * Parameters are sent to the database as they are: text (a template), numbers, booleans, null.
   */
  private static Object plain(String what, Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    throw new DslException(
        what + " must be text, a number, true/false or null, got " + Names.describe(value));
  }

  boolean isEmpty() {
    return text == null && file == null;
  }

  String text() {
    return text;
  }

  SqlText build() {
    return new SqlText(text, file, parameters, namedParameters);
  }

  /** The template strings among the parameters, for checking at load time. */
  List<String> templates() {
    List<String> found = new ArrayList<>();
    if (text != null) {
      found.add(text);
    }
    List<Object> values =
        parameters != null
            ? parameters
            : namedParameters != null ? new ArrayList<>(namedParameters.values()) : List.of();
    values.stream().filter(String.class::isInstance).map(String.class::cast).forEach(found::add);
    return found;
  }
}
