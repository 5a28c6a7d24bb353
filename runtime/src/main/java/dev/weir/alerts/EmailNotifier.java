package dev.weir.alerts;

import dev.weir.config.Settings;
import dev.weir.model.Callback;
import dev.weir.model.Connection;
import dev.weir.operators.SmtpSessions;
import dev.weir.secrets.Secrets;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code email(to: …)}: a plain-text and HTML message through the notifier's SMTP connection, or
 * through the {@code smtp.*} settings when it names none.
 */
final class EmailNotifier implements Notifier {
  /** The name the {@code smtp.*} settings go by in messages. */
  static final String SETTINGS_ID = "smtp settings";

  private final Callback.Email email;
  private final Secrets secrets;
  private final Settings settings;
  private final Duration timeout;
  private final Clock clock;

  EmailNotifier(
      Callback.Email email, Secrets secrets, Settings settings, Duration timeout, Clock clock) {
    this.email = email;
    this.secrets = secrets;
    this.settings = settings;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return "email";
  }

  @Override
  public String describe() {
    return "email to "
        + String.join(", ", email.to())
        + (email.conn() == null ? "" : " through connection '" + email.conn() + "'");
  }

  @Override
  public void send(Message message) throws MessagingException {
    Connection connection =
        email.conn() != null ? secrets.connection(email.conn()) : fromSettings(settings);
    String from = SmtpSessions.defaultFrom(connection);
    if (from == null) {
      throw new IllegalArgumentException(
          email.conn() == null
              ? "no sender: set smtp.from (WEIR_SMTP_FROM)"
              : "no sender: add a from extra to connection '" + email.conn() + "'");
    }
    MimeMessage mime = new MimeMessage(SmtpSessions.session(connection, timeout));
    mime.setFrom(new InternetAddress(from, true));
    List<InternetAddress> to = new ArrayList<>();
    for (String recipient : email.to()) {
      to.addAll(List.of(InternetAddress.parse(recipient, true)));
    }
    mime.setRecipients(RecipientType.TO, to.toArray(InternetAddress[]::new));
    mime.setSubject(message.subject(), "UTF-8");
    MimeBodyPart text = new MimeBodyPart();
    text.setText(message.text(), "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setContent(message.html(), "text/html; charset=UTF-8");
    mime.setContent(new MimeMultipart("alternative", text, html));
    mime.setSentDate(Date.from(clock.instant()));
    mime.saveChanges();
    Transport.send(mime);
  }

  /**
   * The SMTP server of the settings {@code smtp.host}, {@code smtp.port}, {@code smtp.user}, {@code
   * smtp.password}, {@code smtp.from}, {@code smtp.starttls} and {@code smtp.ssl}.
   *
   * @throws IllegalArgumentException when {@code smtp.host} is not set
   */
  static Connection fromSettings(Settings settings) {
    String host =
        settings
            .get("smtp.host")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no SMTP server: set smtp.host (WEIR_SMTP_HOST), or give the email"
                            + " notifier an SMTP connection with conn: '…'"));
    Integer port =
        settings.get("smtp.port").isPresent() ? settings.positiveInt("smtp.port", 25) : null;
    Map<String, Object> extra = new LinkedHashMap<>();
    settings.get("smtp.from").ifPresent(from -> extra.put("from", from));
    settings.get("smtp.starttls").ifPresent(flag -> extra.put("starttls", flag));
    settings.get("smtp.ssl").ifPresent(flag -> extra.put("ssl", flag));
    return new Connection(
        SETTINGS_ID,
        "smtp",
        host,
        port,
        null,
        settings.get("smtp.user").orElse(null),
        settings.get("smtp.password").orElse(null),
        extra);
  }
}
