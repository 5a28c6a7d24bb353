package dev.weir.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which names hold secrets: Airflow's list of sensitive words, matched as a substring and ignoring
 * case, so {@code warehouse_password}, {@code API_KEY} and {@code slack-token} all do.
 */
public final class SecretNames {
  /** Airflow's default {@code sensitive_var_conn_names}. */
  public static final List<String> WORDS =
      List.of(
          "access_token",
          "api_key",
          "apikey",
          "authorization",
          "passphrase",
          "passwd",
          "password",
          "private_key",
          "secret",
          "token");

  private SecretNames() {}

  /** Whether a variable's key or an extra's field name looks like it holds a secret. */
  public static boolean looksSecret(String name) {
    if (name == null) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The secret texts of a connection's extra: string (and number) values under secret-looking
   * names, at any depth; everything under such a name when it is an object or a list.
   */
  static void collectSecrets(Object value, boolean secret, List<String> into) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        collectSecrets(
            entry.getValue(), secret || looksSecret(String.valueOf(entry.getKey())), into);
      }
    } else if (value instanceof Iterable<?> list) {
      for (Object item : list) {
        collectSecrets(item, secret, into);
      }
    } else if (secret && value != null && !(value instanceof Boolean)) {
      into.add(String.valueOf(value));
    }
  }

  /**
   * A copy of a connection's extra with the values under secret-looking names replaced by {@code
   * ***}, for printing.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> maskedExtra(Map<String, Object> extra) {
    return (Map<String, Object>) masked(extra, false);
  }

  /** A copy of a value with everything under secret-looking names replaced by {@code ***}. */
  static Object masked(Object value, boolean secret) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        copy.put(key, masked(entry.getValue(), secret || looksSecret(key)));
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(item -> masked(item, secret)).toList();
    }
    return secret && value != null ? Masker.MASK : value;
  }
}
