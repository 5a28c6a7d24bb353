package dev.weir.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Replaces known secret texts in a line with {@code ***}. Immutable and thread-safe.
 *
 * <p>Besides each text it hides each line of a multi-line one (a private key is logged line by
 * line) and its URL-encoded forms (a password inside a URI). Texts shorter than {@link #MIN_LENGTH}
 * characters are not hidden: a password {@code ab} would turn every {@code ab} of every log into
 * {@code ***} and tell a reader where it is anyway.
 */
public final class Masker {
  /** What a secret becomes. */
  public static final String MASK = "***";

  /** The shortest text that is hidden. */
  public static final int MIN_LENGTH = 4;

  static final Masker NONE = new Masker(new String[0]);

  // Longest first, so a secret containing another is hidden whole.
  private final String[] secrets;

  private Masker(String[] secrets) {
    this.secrets = secrets;
  }

  /** A masker of these texts (nulls and short ones are ignored). */
  public static Masker of(Collection<String> texts) {
    Set<String> all = new LinkedHashSet<>();
    for (String text : texts) {
      if (text == null) {
        continue;
      }
      add(all, text);
      if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
        text.lines().forEach(line -> add(all, line.strip()));
      }
      String form = URLEncoder.encode(text, StandardCharsets.UTF_8);
      add(all, form);
      add(all, form.replace("+", "%20"));
    }
    return new Masker(
        all.stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toArray(String[]::new));
  }

  private static void add(Set<String> into, String text) {
    if (text.length() >= MIN_LENGTH) {
      into.add(text);
    }
  }

  /** How many texts it hides, including the derived forms. */
  public int size() {
    return secrets.length;
  }

  /** The text with every known secret replaced by {@code ***}. */
  public String mask(String text) {
    if (text == null || secrets.length == 0) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
      // indexOf first: most lines hold no secret, and then nothing is allocated.
      if (result.indexOf(secret) >= 0) {
        result = result.replace(secret, MASK);
      }
    }
    return result;
  }
}
