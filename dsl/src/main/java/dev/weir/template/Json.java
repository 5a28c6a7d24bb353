package dev.weir.template;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/** A tiny JSON encoder for the {@code json} filter; values it doesn't know become JSON strings. */
final class Json {
  private static final int MAX_DEPTH = 100;

  private Json() {}

  static String encode(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("value is nested more than " + MAX_DEPTH + " levels deep");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no representation for " + value);
      }
      out.append(value);
    } else if (value instanceof Number) {
      out.append(value);
    } else if (value instanceof CharSequence || value instanceof Character) {
      string(value.toString(), out);
    } else if (value instanceof Enum<?> e) {
      string(e.name(), out);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(String.valueOf(entry.getKey()), out);
        out.append(':');
        write(entry.getValue(), out, depth + 1);
      }
      out.append('}');
    } else if (value instanceof Iterable<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(item, out, depth + 1);
      }
      out.append(']');
    } else if (value.getClass().isArray()) {
      out.append('[');
      for (int i = 0, n = Array.getLength(value); i < n; i++) {
        if (i > 0) {
          out.append(',');
        }
        write(Array.get(value, i), out, depth + 1);
      }
      out.append(']');
    } else if (value.getClass().isRecord()) {
      out.append('{');
      boolean first = true;
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(component.getName(), out);
        out.append(':');
        write(Properties.read(value, component.getName()), out, depth + 1);
      }
      out.append('}');
    } else {
      // Dates, times, paths, GStrings: their text is what a user expects to see.
      string(value.toString(), out);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // U+2028/2029 are valid JSON but break JavaScript string literals; escape them too.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
