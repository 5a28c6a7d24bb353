package dev.weir.dsl;

import dev.weir.model.Callback;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The notifiers a script writes where callbacks go: {@code email(to: …)} and {@code webhook(…)}.
 * They only describe the message; the scheduler sends it.
 */
final class Notifiers {
  static final List<String> EMAIL_ARGUMENTS = List.of("to", "subject", "conn");
  static final List<String> WEBHOOK_ARGUMENTS = List.of("conn", "url");

  private Notifiers() {}

  /** {@code email(to: 'a@x.io' | ['a@x.io', …], subject: '…', conn: 'smtp')}. */
  static Callback.Email email(Map<?, ?> named) {
    String where = "email(…) notifier";
    checkArguments(where, named, EMAIL_ARGUMENTS);
    if (!named.containsKey("to")) {
      throw new DslException(where + " needs to: email(to: 'oncall@example.org')");
    }
    List<String> to = recipients(where + ": to", named.get("to"));
    if (to.isEmpty()) {
      throw new DslException(where + ": to names no recipient; write to: 'oncall@example.org'");
    }
    String subject = optionalText(where, "subject", named);
    String conn = optionalText(where, "conn", named);
    return new Callback.Email(to, subject, conn);
  }

  /** {@code webhook(conn: 'slack')} or {@code webhook(url: 'https://…')}. */
  static Callback.Webhook webhook(Map<?, ?> named) {
    String where = "webhook(…) notifier";
    checkArguments(where, named, WEBHOOK_ARGUMENTS);
    String conn = optionalText(where, "conn", named);
    String url = optionalText(where, "url", named);
    if ((conn == null) == (url == null)) {
      throw new DslException(
          where
              + " takes either conn: 'slack' (a connection holding the URL) or url:"
              + " 'https://…', "
              + (conn == null ? "and got neither" : "not both"));
    }
    if (url != null) {
      checkUrl(where, url);
    }
    return new Callback.Webhook(conn, url);
  }

  /**
   * Email addresses given as one string or a list of them. Each must be a string with an {@code @};
   * an empty list is allowed (it clears an inherited value) and checked by the caller if not.
   */
  static List<String> recipients(String setting, Object value) {
    List<Object> values = new ArrayList<>();
    if (value instanceof Collection<?> many) {
      values.addAll(many);
    } else if (value instanceof Object[] array) {
      for (Object item : array) {
        if (item instanceof Collection<?> many) {
          values.addAll(many);
        } else {
          values.add(item);
        }
      }
    } else {
      values.add(value);
    }
    List<String> addresses = new ArrayList<>();
    for (Object item : values) {
      if (!(item instanceof CharSequence text)) {
        throw new DslException(
            setting
                + " takes email addresses such as 'oncall@example.org', got "
                + Names.describe(item));
      }
      String address = text.toString().trim();
      if (!address.contains("@")) {
        throw new DslException(
            setting + ": '" + address + "' is not an email address; write it as name@example.org");
      }
      addresses.add(address);
    }
    return addresses;
  }

  private static void checkArguments(String where, Map<?, ?> named, List<String> known) {
    for (Object key : named.keySet()) {
      String name = String.valueOf(key);
      if (!known.contains(name)) {
        throw new DslException(
            where
                + ": unknown argument '"
                + name
                + "'"
                + Names.didYouMean(name, known)
                + " (arguments: "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  private static String optionalText(String where, String name, Map<?, ?> named) {
    if (!named.containsKey(name)) {
      return null;
    }
    Object value = named.get(name);
    if (!(value instanceof CharSequence text) || text.toString().isBlank()) {
      throw new DslException(
          where + ": " + name + " takes a non-empty string, got " + Names.describe(value));
    }
    return text.toString();
  }

  private static void checkUrl(String where, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new DslException(where + ": url '" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new DslException(
          where + ": url '" + url + "' must be an http:// or https:// URL with a host");
    }
  }
}
