package dev.weir.secrets;

/**
 * A stored connection as listings show it: without its password and extra, which stay encrypted.
 *
 * @param hasPassword whether a password is stored
 * @param hasExtra whether an extra is stored
 */
public record ConnectionRow(
    String id,
    String type,
    String host,
    Integer port,
    String schema,
    String login,
    boolean hasPassword,
    boolean hasExtra,
    String description) {}
