package dev.weir.dsl;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks ids and finds the closest known name for a misspelt one. */
final class Names {
  // Ids become folder names in the log tree, so they must never contain a path separator.
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,249}");

  private Names() {}

  static String requireId(String kind, Object id) {
    if (!(id instanceof CharSequence)) {
      throw new DslException(kind + " id must be a string, got " + describe(id));
    }
    String text = id.toString();
    if (!ID.matcher(text).matches() || text.contains("..")) {
      throw new DslException(
          kind
              + " id '"
              + text
              + "' is not valid: use letters, digits, '_', '-' and '.', start with a letter, digit"
              + " or '_', at most 250 characters");
    }
    return text;
  }

  /** The closest candidate within a small edit distance, if any. */
  static Optional<String> closest(String name, Collection<String> candidates) {
    int limit = Math.max(2, name.length() / 3);
    return candidates.stream()
        .map(c -> new Object[] {c, distance(name.toLowerCase(), c.toLowerCase())})
        .filter(pair -> (int) pair[1] <= limit)
        .min(Comparator.comparingInt(pair -> (int) pair[1]))
        .map(pair -> (String) pair[0]);
  }

  static String didYouMean(String name, Collection<String> candidates) {
    return closest(name, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    return value.getClass().getSimpleName() + " '" + value + "'";
  }

  /** Optimal string alignment distance: Levenshtein plus swapped neighbours, a common typo. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
