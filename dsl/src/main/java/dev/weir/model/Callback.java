package dev.weir.model;

import groovy.lang.Closure;
import java.util.List;
import java.util.Objects;

/**
 * What runs when a task or a run reaches an event ({@link CallbackEvent}): Groovy code, or one of
 * Weir's notifiers. Callbacks run in the scheduler, after the state they report is committed; one
 * that fails is logged and changes nothing.
 */
public sealed interface Callback {

  /** {@code { ctx -> … }}: the closure receives a {@link CallbackContext}. */
  record Code(Closure<?> body) implements Callback {
    public Code {
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * {@code email(to: …, subject: …)}: a message through SMTP.
   *
   * @param to the recipients, never empty
   * @param subject a template of the subject line, or null for Weir's subject
   * @param conn the SMTP connection id, or null for the {@code smtp.*} settings
   */
  record Email(List<String> to, String subject, String conn) implements Callback {
    public Email {
      to = List.copyOf(to);
      if (to.isEmpty()) {
        throw new IllegalArgumentException("an email notifier needs at least one recipient");
      }
    }
  }

  /**
   * {@code webhook(conn: 'slack')} or {@code webhook(url: 'https://…')}: a JSON message POSTed to a
   * Slack-compatible incoming webhook or any URL. Exactly one of conn and url is set.
   *
   * @param conn the connection whose URL (host, or its {@code url} extra) receives the message
   * @param url a URL written in the script
   */
  record Webhook(String conn, String url) implements Callback {
    public Webhook {
      if ((conn == null) == (url == null)) {
        throw new IllegalArgumentException("a webhook notifier takes either conn or url");
      }
    }
  }
}
