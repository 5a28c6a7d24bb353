package dev.weir.operators;

import dev.weir.model.Connection;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * Jakarta Mail sessions from Weir SMTP {@link Connection}s: host and port (default 25, or 465 for
 * type {@code smtps}), login and password for authentication, and the extras {@code starttls}
 * (true: upgrade the connection with STARTTLS, required), {@code ssl} (true: TLS from the start, as
 * type {@code smtps} does) and {@code from} (the default sender).
 */
public final class SmtpSessions {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private SmtpSessions() {}

  static Session session(Connection connection) {
    return session(connection, TIMEOUT);
  }

  /**
   * A session for the connection whose connect, read and write timeouts are each {@code timeout}.
   *
   * @throws OperatorException when the connection has no host
   */
  public static Session session(Connection connection, Duration timeout) {
    if (connection.host() == null || connection.host().isBlank()) {
      throw new OperatorException("connection '" + connection.id() + "' has no SMTP host");
    }
    boolean ssl =
        "smtps".equals(String.valueOf(connection.type()).toLowerCase(Locale.ROOT))
            || flag(connection, "ssl");
    int port = connection.port() != null ? connection.port() : ssl ? 465 : 25;
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.host", connection.host());
    properties.setProperty("mail.smtp.port", Integer.toString(port));
    String millis = Long.toString(timeout.toMillis());
    properties.setProperty("mail.smtp.connectiontimeout", millis);
    properties.setProperty("mail.smtp.timeout", millis);
    properties.setProperty("mail.smtp.writetimeout", millis);
    if (flag(connection, "starttls")) {
      properties.setProperty("mail.smtp.starttls.enable", "true");
      properties.setProperty("mail.smtp.starttls.required", "true");
    }
    if (ssl) {
      properties.setProperty("mail.smtp.ssl.enable", "true");
    }
    if (connection.login() == null || connection.login().isEmpty()) {
      return Session.getInstance(properties);
    }
    properties.setProperty("mail.smtp.auth", "true");
    String login = connection.login();
    String password = connection.password() == null ? "" : connection.password();
    return Session.getInstance(
        properties,
        new Authenticator() {
          @Override
          protected PasswordAuthentication getPasswordAuthentication() {
            return new PasswordAuthentication(login, password);
          }
        });
  }

  /**
   * The sender a connection gives: its {@code from} extra, else its login when it is an address.
   */
  public static String defaultFrom(Connection connection) {
    Object from = connection.extra().get("from");
    if (from != null && !String.valueOf(from).isBlank()) {
      return String.valueOf(from);
    }
    if (connection.login() != null && connection.login().contains("@")) {
      return connection.login();
    }
    return null;
  }

  private static boolean flag(Connection connection, String name) {
    Object value = connection.extra().get(name);
    return value != null && Boolean.parseBoolean(String.valueOf(value));
  }
}
