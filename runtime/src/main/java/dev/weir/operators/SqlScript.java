package dev.weir.operators;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL text split into statements at top-level {@code ;}, with its parameter markers: {@code ?}
 * counted and {@code :name} replaced by {@code ?}. Quoted strings ({@code '…'}, {@code "…"}),
 * PostgreSQL dollar quotes ({@code $$…$$}, {@code $tag$…$tag$}), comments ({@code --}, {@code /* …
 * *}{@code /}) and casts ({@code ::int}) are left alone.
 */
final class SqlScript {
  private SqlScript() {}

  /**
   * One statement.
   *
   * @param sql the statement for JDBC, with {@code ?} for every marker
   * @param line the line of the text it starts on, from 1
   * @param positional how many {@code ?} the text had
   * @param names the {@code :name} markers, in order (a name may repeat)
   */
  record Statement(String sql, int line, int positional, List<String> names) {
    Statement {
      names = List.copyOf(names);
    }

    /** The first line of the statement, shortened, for messages. */
    String excerpt() {
      String first = sql.strip().lines().findFirst().orElse("");
      return first.length() > 80 ? first.substring(0, 77) + "..." : first;
    }
  }

  /** The statements of the text, without empty ones (only blanks and comments). */
  static List<Statement> split(String text) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    List<String> names = new ArrayList<>();
    int positional = 0;
    boolean hasCode = false;
    int line = 1;
    int startLine = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (!hasCode && !Character.isWhitespace(c) && !startsComment(text, i)) {
        hasCode = true;
        startLine = line;
      }
      if (c == '\'' || c == '"') {
        int end = quoteEnd(text, i, c);
        line += count(text, i, end, '\n');
        current.append(text, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int end = text.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(text, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += count(text, i, end, '\n');
        current.append(text, i, end);
        i = end;
      } else if (c == '$' && dollarTag(text, i) != null) {
        String tag = dollarTag(text, i);
        int end = text.indexOf(tag, i + tag.length());
        end = end < 0 ? n : end + tag.length();
        line += count(text, i, end, '\n');
        current.append(text, i, end);
        i = end;
      } else if (c == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
        current.append("::");
        i += 2;
      } else if (c == ':'
          && i + 1 < n
          && Character.isJavaIdentifierStart(text.charAt(i + 1))
          && text.charAt(i + 1) != '$') {
        int end = i + 1;
        while (end < n
            && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        names.add(text.substring(i + 1, end));
        current.append('?');
        i = end;
      } else if (c == '?') {
        positional++;
        current.append(c);
        i++;
      } else if (c == ';') {
        if (hasCode) {
          statements.add(new Statement(current.toString().strip(), startLine, positional, names));
        }
        current.setLength(0);
        names.clear();
        positional = 0;
        hasCode = false;
        i++;
      } else {
        if (c == '\n') {
          line++;
        }
        current.append(c);
        i++;
      }
    }
    if (hasCode) {
      statements.add(new Statement(current.toString().strip(), startLine, positional, names));
    }
    return statements;
  }

  private static boolean startsComment(String text, int i) {
    return i + 1 < text.length()
        && ((text.charAt(i) == '-' && text.charAt(i + 1) == '-')
            || (text.charAt(i) == '/' && text.charAt(i + 1) == '*'));
  }

  /** The index after the closing quote; a doubled quote inside is an escaped one. */
  private static int quoteEnd(String text, int start, char quote) {
    int i = start + 1;
    while (i < text.length()) {
      if (text.charAt(i) == quote) {
        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return text.length();
  }

  /** {@code $$} or {@code $tag$} starting at i, or null. */
  private static String dollarTag(String text, int i) {
    int j = i + 1;
    while (j < text.length()
        && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
      j++;
    }
    if (j < text.length() && text.charAt(j) == '$') {
      String tag = text.substring(i, j + 1);
      // $1 is a positional marker of some drivers, not a quote.
      return tag.length() > 2 && Character.isDigit(tag.charAt(1)) ? null : tag;
    }
    return null;
  }

  private static int count(String text, int from, int to, char c) {
    int found = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == c) {
        found++;
      }
    }
    return found;
  }
}
