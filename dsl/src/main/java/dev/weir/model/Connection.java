package dev.weir.model;

import java.util.Map;

/**
 * How to reach an external system (a database, an HTTP service, an SMTP server), stored by Weir and
 * looked up by id with {@code ctx.connection('warehouse')}.
 *
 * @param type the scheme, such as {@code postgres}, {@code h2}, {@code http}, {@code smtp}
 * @param port the port, or null for the type's default
 * @param schema the database (or path) part
 * @param extra further settings, such as {@code {"ssl": true}}
 */
public record Connection(
    String id,
    String type,
    String host,
    Integer port,
    String schema,
    String login,
    String password,
    Map<String, Object> extra) {

  public Connection {
    extra =
        extra == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
  }

  /** The connection without its password, safe to print. */
  @Override
  public String toString() {
    return "Connection["
        + id
        + ", "
        + type
        + "://"
        + (login == null ? "" : login + "@")
        + (host == null ? "" : host)
        + (port == null ? "" : ":" + port)
        + (schema == null ? "" : "/" + schema)
        + "]";
  }
}
