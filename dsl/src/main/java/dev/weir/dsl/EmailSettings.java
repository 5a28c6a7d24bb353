package dev.weir.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The settings of an {@code email('id') { … }} task. */
public final class EmailSettings extends TaskSettings {
  private static final List<String> KEYWORDS =
      Stream.concat(
              Stream.of("conn", "to", "cc", "bcc", "from", "subject", "body", "html"),
              TaskSettings.KEYWORDS.stream())
          .toList();

  private String conn;
  private final List<String> to = new ArrayList<>();
  private final List<String> cc = new ArrayList<>();
  private final List<String> bcc = new ArrayList<>();
  private String from;
  private String subject;
  private String body;
  private boolean html;

  EmailSettings(TaskSettings parent) {
    super(parent);
  }

  /** The id of the SMTP connection. */
  public void conn(Object value) {
    conn = text("conn", value);
  }

  /** Recipients: {@code to 'a@x.org', 'b@y.org'}; templates. */
  public void to(Object... addresses) {
    addresses(to, "to", addresses);
  }

  /** Copy recipients; templates. */
  public void cc(Object... addresses) {
    addresses(cc, "cc", addresses);
  }

  /** Blind copy recipients; templates. */
  public void bcc(Object... addresses) {
    addresses(bcc, "bcc", addresses);
  }

  /** The sender (default: the connection's {@code from} extra, else its login); a template. */
  public void from(Object value) {
    from = text("from", value);
  }

  /** The subject; a template. */
  public void subject(Object value) {
    subject = text("subject", value);
  }

  /** The message; a template. */
  public void body(Object value) {
    body = text("body", value);
  }

  /** Whether the body is HTML (default false: plain text). */
  public void html(Object value) {
    html = bool("html", value);
  }

  private static void addresses(List<String> target, String field, Object... values) {
    target.clear();
    for (Object value : values) {
      if (value instanceof List<?> list) {
        list.forEach(item -> target.add(text(field, item)));
      } else {
        target.add(text(field, value));
      }
    }
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "conn" -> conn(value);
      case "to" -> to(value);
      case "cc" -> cc(value);
      case "bcc" -> bcc(value);
      case "from" -> from(value);
      case "subject" -> subject(value);
      case "body" -> body(value);
      case "html" -> html(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return KEYWORDS;
  }

  String conn() {
    return conn;
  }

  List<String> to() {
    return to;
  }

  List<String> cc() {
    return cc;
  }

  List<String> bcc() {
    return bcc;
  }

  String from() {
    return from;
  }

  String subject() {
    return subject;
  }

  String body() {
    return body;
  }

  boolean html() {
    return html;
  }
}
