package dev.weir.model;

import java.util.List;

/**
 * A run parameter of a DAG: its default value reaches tasks as {@code params.NAME} unless a run's
 * conf overrides it.
 *
 * @param type one of {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code
 *     array}, {@code object}
 * @param allowed the allowed values, or empty for any value
 */
public record ParamSpec(
    String name, Object defaultValue, String type, String description, List<Object> allowed) {

  /** The types a parameter may have. */
  public static final List<String> TYPES =
      List.of("string", "integer", "number", "boolean", "array", "object");

  public ParamSpec {
    allowed = List.copyOf(allowed);
  }

  /** The type of a value as a parameter type name. */
  public static String typeOf(Object value) {
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof java.math.BigInteger) {
      return "integer";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof java.util.List) {
      return "array";
    }
    if (value instanceof java.util.Map) {
      return "object";
    }
    return "string";
  }
}
