package dev.weir.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.model.Connection;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connections written as text: Airflow-style URIs and JSON objects, as {@code WEIR_CONN_<ID>} and
 * {@code weir connections add --conn-uri} take them.
 *
 * <p>A URI is {@code TYPE://[LOGIN[:PASSWORD]@]HOST[:PORT][/SCHEMA][?KEY=VALUE&…]}: login,
 * password, host and schema are percent-decoded ({@code p%40ss} is {@code p@ss}); the query becomes
 * the extra ({@code ?sslmode=require} is {@code {"sslmode": "require"}}, a repeated key a list),
 * except {@code __extra__=<JSON object>}, which is the extra itself. As in Airflow, type {@code
 * postgresql} is {@code postgres} and {@code -} in a type is {@code _}.
 *
 * <p>A JSON object has the fields {@code conn_type} (or {@code type}), {@code host}, {@code port},
 * {@code schema}, {@code login}, {@code password} and {@code extra} (an object, or a string holding
 * one). Messages never quote the text: it holds a password.
 */
public final class ConnectionUris {
  static final ObjectMapper JSON = new ObjectMapper();

  private static final String FORM = "TYPE://[LOGIN[:PASSWORD]@]HOST[:PORT][/SCHEMA][?KEY=VALUE&…]";
  private static final Set<String> JSON_FIELDS =
      Set.of(
          "conn_type",
          "type",
          "host",
          "port",
          "schema",
          "login",
          "password",
          "extra",
          "description");

  private ConnectionUris() {}

  /** A URI, or a JSON object when the text starts with <code>{</code>. */
  public static Connection parse(String id, String text) {
    String trimmed = text.strip();
    return trimmed.startsWith("{") ? parseJson(id, trimmed) : parseUri(id, trimmed);
  }

  /**
   * An Airflow-style URI.
   *
   * @throws IllegalArgumentException saying what is wrong, without quoting the URI
   */
  public static Connection parseUri(String id, String uri) {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd <= 0) {
      throw new IllegalArgumentException("is not a connection URI " + FORM);
    }
    String type = connType(uri.substring(0, schemeEnd));
    if (!type.matches("[A-Za-z][A-Za-z0-9_+.]*")) {
      throw new IllegalArgumentException(
          "has type '" + type + "'; a type is letters, digits and _ + . (" + FORM + ")");
    }
    String rest = uri.substring(schemeEnd + 3);
    int queryStart = rest.indexOf('?');
    String query = queryStart < 0 ? null : rest.substring(queryStart + 1);
    String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
    // The authority ends at the first '/' after the user info ('@' is never in an encoded part).
    int at = beforeQuery.lastIndexOf('@');
    int slash = beforeQuery.indexOf('/', at + 1);
    String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    String path = slash < 0 ? null : beforeQuery.substring(slash + 1);

    String login = null;
    String password = null;
    String hostPort = authority;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hostPort = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      login = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "login");
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
    }
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("has an IPv6 host without its closing ']'");
      }
      host = hostPort.substring(0, close + 1);
      String after = hostPort.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw new IllegalArgumentException("has text after the IPv6 host's ']'");
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
    }
    Integer port = portText == null || portText.isEmpty() ? null : port(portText);
    Map<String, Object> extra = query == null ? Map.of() : extra(query);
    return new Connection(
        id,
        type,
        emptyToNull(decode(host, "host")),
        port,
        path == null ? null : emptyToNull(decode(path, "schema")),
        emptyToNull(login),
        emptyToNull(password),
        extra);
  }

  /**
   * A JSON object with Airflow's connection fields.
   *
   * @throws IllegalArgumentException saying what is wrong, without quoting the text
   */
  public static Connection parseJson(String id, String json) {
    Map<String, Object> fields;
    try {
      fields = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "is not a JSON object (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    }
    if (fields == null) {
      throw new IllegalArgumentException("is not a JSON object");
    }
    for (String field : fields.keySet()) {
      if (!JSON_FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "has an unknown field '"
                + field
                + "'; known: conn_type, host, port, schema, login, password, extra");
      }
    }
    Object typeValue =
        fields.containsKey("conn_type") ? fields.get("conn_type") : fields.get("type");
    if (!(typeValue instanceof String type) || type.isBlank()) {
      throw new IllegalArgumentException("has no conn_type");
    }
    Object portValue = fields.get("port");
    Integer port;
    if (portValue == null) {
      port = null;
    } else if (portValue instanceof Integer number) {
      port = checkPort(number, String.valueOf(number));
    } else if (portValue instanceof String text) {
      port = text.isBlank() ? null : port(text.strip());
    } else {
      throw new IllegalArgumentException("has a port that is not a whole number");
    }
    return new Connection(
        id,
        connType(type.strip()),
        string(fields, "host"),
        port,
        string(fields, "schema"),
        string(fields, "login"),
        string(fields, "password"),
        extraJson(fields.get("extra")));
  }

  /**
   * The extra of {@code --conn-extra}: a JSON object (or null for none).
   *
   * @throws IllegalArgumentException when it is not a JSON object
   */
  public static Map<String, Object> extraJson(Object extra) {
    if (extra == null) {
      return Map.of();
    }
    if (extra instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }
    if (extra instanceof String text) {
      if (text.isBlank()) {
        return Map.of();
      }
      try {
        Object value = JSON.readValue(text, Object.class);
        if (value instanceof Map<?, ?>) {
          return extraJson(value);
        }
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "has an extra that is not valid JSON ("
                + e.getOriginalMessage().lines().findFirst().orElse("")
                + ")");
      }
    }
    throw new IllegalArgumentException("has an extra that is not a JSON object");
  }

  /**
   * The connection as a URI that {@link #parseUri} reads back.
   *
   * @param withPassword false writes {@code ***} in place of the password
   */
  public static String toUri(Connection c, boolean withPassword) {
    StringBuilder uri = new StringBuilder(c.type()).append("://");
    if (c.login() != null || c.password() != null) {
      if (c.login() != null) {
        uri.append(encode(c.login()));
      }
      if (c.password() != null) {
        uri.append(':').append(withPassword ? encode(c.password()) : Masker.MASK);
      }
      uri.append('@');
    }
    if (c.host() != null) {
      uri.append(c.host().startsWith("[") ? c.host() : encode(c.host()));
    }
    if (c.port() != null) {
      uri.append(':').append(c.port());
    }
    if (c.schema() != null) {
      uri.append('/').append(encode(c.schema()));
    }
    if (!c.extra().isEmpty()) {
      Object extra = withPassword ? c.extra() : SecretNames.masked(c.extra(), false);
      uri.append('?');
      if (((Map<?, ?>) extra).values().stream().allMatch(ConnectionUris::isScalar)) {
        List<String> pairs = new ArrayList<>();
        ((Map<?, ?>) extra)
            .forEach(
                (k, v) ->
                    pairs.add(
                        URLEncoder.encode(String.valueOf(k), StandardCharsets.UTF_8)
                            + "="
                            + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        uri.append(String.join("&", pairs));
      } else {
        try {
          uri.append("__extra__=")
              .append(URLEncoder.encode(JSON.writeValueAsString(extra), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot write an extra as JSON", e);
        }
      }
    }
    return uri.toString();
  }

  // Only strings survive the trip through a query string as themselves.
  private static boolean isScalar(Object value) {
    return value instanceof String;
  }

  private static String connType(String scheme) {
    if (scheme.equals("postgresql")) {
      return "postgres";
    }
    return scheme.replace('-', '_');
  }

  private static Integer port(String text) {
    try {
      return checkPort(Integer.parseInt(text), text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("has port '" + text + "', which is not a number");
    }
  }

  private static Integer checkPort(int port, String text) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("has port " + text + "; a port is 1 to 65535");
    }
    return port;
  }

  private static Map<String, Object> extra(String query) {
    Map<String, Object> extra = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = formDecode(eq < 0 ? pair : pair.substring(0, eq), "extra");
      String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1), "extra " + key);
      if (key.equals("__extra__")) {
        return extraJson(value);
      }
      Object previous = extra.get(key);
      if (previous == null) {
        extra.put(key, value);
      } else if (previous instanceof List<?> list) {
        List<Object> more = new ArrayList<>(list);
        more.add(value);
        extra.put(key, more);
      } else {
        extra.put(key, new ArrayList<>(List.of(previous, value)));
      }
    }
    return extra;
  }

  private static String string(Map<String, Object> fields, String name) {
    Object value = fields.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw new IllegalArgumentException("has a " + name + " that is not a text");
    }
    return emptyToNull(String.valueOf(value));
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  /** Percent-decoding as in a URI's path: {@code +} stays a plus. */
  static String decode(String text, String part) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException(
              "has a '%' in its " + part + " that is not followed by two hex digits");
        }
        bytes.write(
            Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(encoded);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Decoding as in a query string: {@code +} is a space. */
  private static String formDecode(String text, String part) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "has a '%' in its " + part + " that is not followed by two hex digits");
    }
  }

  /** Percent-encoding that {@link #decode} reverses: spaces are {@code %20}. */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
