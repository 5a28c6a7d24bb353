package dev.weir.operators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The template fields of one try as it rendered them, by field name in the order it rendered them:
 * what the try ran (the bash command, the SQL, the URL, …), shown by the web UI. Whoever renders a
 * field keeps its value here, plain texts too. Thread-safe: an operator with an execution timeout
 * renders on another thread.
 */
public final class RenderedFields {
  /** The longest text kept of one field; the rest is cut off. */
  public static final int MAX_FIELD_CHARS = 32 * 1024;

  /**
   * The most text kept of all fields of a try, names included: even escaped as JSON at six
   * characters each, it fits in the store's texts (a million characters on H2).
   */
  public static final int MAX_TOTAL_CHARS = 128 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> fields = new LinkedHashMap<>();

  /**
   * Keeps the value of a field as the try uses it (a field rendered again keeps its last value).
   *
   * @return the value, so that a render can keep what it returns in one expression
   */
  public synchronized String put(String field, String value) {
    if (value != null) {
      fields.put(field, value);
    }
    return value;
  }

  /**
   * Keeps a value that may not be a text (a SQL parameter, a map of configuration): maps and lists
   * as JSON, others as their text.
   */
  public <T> T putValue(String field, T value) {
    if (value != null) {
      boolean structured = value instanceof Map<?, ?> || value instanceof Iterable<?>;
      put(field, structured ? json(value) : String.valueOf(value));
    }
    return value;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  public synchronized boolean isEmpty() {
    return fields.isEmpty();
  }

  /**
   * The fields to keep: each value with secrets masked, then cut to {@link #MAX_FIELD_CHARS} and to
   * what is left of {@link #MAX_TOTAL_CHARS}. Masked before cut, so no half of a secret shows.
   */
  public synchronized Map<String, String> masked(UnaryOperator<String> mask) {
    Map<String, String> kept = new LinkedHashMap<>();
    int left = MAX_TOTAL_CHARS;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String value = mask.apply(field.getValue());
      left = Math.max(0, left - field.getKey().length());
      int room = Math.min(MAX_FIELD_CHARS, left);
      if (value.length() > room) {
        if (room > 0 && Character.isHighSurrogate(value.charAt(room - 1))) {
          room--; // never half a character
        }
        String all = value;
        value = all.substring(0, room) + "… (cut: " + all.length() + " characters in all)";
        left -= room;
      } else {
        left -= value.length();
      }
      kept.put(field.getKey(), value);
    }
    return Collections.unmodifiableMap(kept);
  }
}
