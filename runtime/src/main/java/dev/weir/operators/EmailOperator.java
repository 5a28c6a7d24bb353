package dev.weir.operators;

import dev.weir.model.Connection;
import dev.weir.model.TaskAction;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Runs an {@code email} task: renders the message and sends it through an SMTP connection. */
final class EmailOperator {
  private EmailOperator() {}

  /** Sends the message; the result is its Message-ID. */
  static String run(TaskAction.Email action, OperatorContext ctx, Clock clock) {
    Connection connection = ctx.connection(action.conn());
    String from =
        action.from() != null
            ? ctx.render(action.from(), "from")
            : SmtpSessions.defaultFrom(connection);
    if (from == null) {
      throw new OperatorException(
          "no sender: add from 'weir@example.org' to the task, or a from extra to connection '"
              + connection.id()
              + "'");
    }
    MimeMessage message = new MimeMessage(SmtpSessions.session(connection));
    try {
      message.setFrom(address(from, "from"));
      message.setRecipients(Message.RecipientType.TO, addresses(action.to(), ctx, "to"));
      message.setRecipients(Message.RecipientType.CC, addresses(action.cc(), ctx, "cc"));
      message.setRecipients(Message.RecipientType.BCC, addresses(action.bcc(), ctx, "bcc"));
      message.setSubject(ctx.render(action.subject(), "subject"), "UTF-8");
      String body = ctx.render(action.body(), "body");
      if (action.html()) {
        message.setContent(body, "text/html; charset=" + StandardCharsets.UTF_8.name());
      } else {
        message.setText(body, "UTF-8");
      }
      message.setSentDate(Date.from(clock.instant()));
      message.saveChanges();
    } catch (MessagingException e) {
      throw new OperatorException("cannot build the message: " + e.getMessage(), e);
    }
    ctx.log()
        .info(
            "Sending '{}' to {} through {}:{}",
            subjectOf(message),
            recipients(message),
            connection.host(),
            connection.port() == null ? "default port" : connection.port());
    try {
      Transport.send(message);
      String id = message.getMessageID();
      ctx.log().info("Sent message {}", id);
      return id;
    } catch (MessagingException e) {
      throw new OperatorException(
          "sending through connection '" + connection.id() + "' failed: " + e.getMessage(), e);
    }
  }

  private static InternetAddress[] addresses(
      List<String> templates, OperatorContext ctx, String field) {
    List<InternetAddress> result = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (String template : templates) {
      String text = Templates.render(template, ctx.variables(), field);
      texts.add(text);
      // A rendered template may hold several addresses, separated by commas.
      try {
        for (InternetAddress address : InternetAddress.parse(text, true)) {
          result.add(address);
        }
      } catch (AddressException e) {
        throw new OperatorException(
            field + ": '" + text + "' is not an email address: " + e.getMessage(), e);
      }
    }
    if (!texts.isEmpty()) {
      ctx.rendered().put(field, String.join(", ", texts));
    }
    return result.toArray(InternetAddress[]::new);
  }

  private static InternetAddress address(String text, String field) {
    try {
      return new InternetAddress(text, true);
    } catch (AddressException e) {
      throw new OperatorException(
          field + ": '" + text + "' is not an email address: " + e.getMessage(), e);
    }
  }

  private static String subjectOf(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (MessagingException e) {
      return "?";
    }
  }

  private static String recipients(MimeMessage message) {
    try {
      return InternetAddress.toString(message.getAllRecipients());
    } catch (MessagingException e) {
      return "?";
    }
  }
}
