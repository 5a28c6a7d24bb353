package dev.weir.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run-time template: text with {@code {{ expression }}} placeholders, rendered just before a task
 * runs. Parse once, render many times; a parsed template is immutable and thread-safe.
 *
 * <p>The syntax is a small subset of Jinja, as Airflow users know it:
 *
 * <ul>
 *   <li>{@code {{ ds }}}, dotted paths {@code {{ params.region }}}: Map keys, record components,
 *       public getters ({@code getRegion()}, {@code isActive()}), or list indexes ({@code
 *       {{ files.0 }}}). Whitespace inside the braces is optional.
 *   <li>String literals in single or double quotes, with backslash escapes: {@code {{ '{{' }}}
 *       emits literal braces.
 *   <li>Filters after {@code |}, applied left to right: {@code nodash} (removes {@code -} and
 *       {@code :}), {@code default('v')} (when undefined or null), {@code upper}, {@code lower},
 *       {@code json} (JSON-encodes maps, lists, records, strings, numbers, booleans and null), and
 *       {@code shell} (POSIX single-quotes the value for safe use in bash).
 * </ul>
 *
 * <p>Rendering is strict: an undefined name or path is an error, never an empty string, and so is a
 * null value unless a {@code default} or {@code json} filter handles it. Other values are rendered
 * with {@code toString()}.
 */
public final class Template {
  private final String text;
  private final List<Part> parts;
  private final Set<String> referencedNames;
  private final int literalLength;

  private Template(String text, List<Part> parts, Set<String> referencedNames) {
    this.text = text;
    this.parts = parts;
    this.referencedNames = referencedNames;
    int length = 0;
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        length += literal.text.length();
      }
    }
    this.literalLength = length;
  }

  /**
   * Parses template text.
   *
   * @throws TemplateException for an unclosed {@code {{} or string literal, an unknown filter, a
   *     filter with the wrong arguments, or an unexpected character; the message says the 1-based
   *     line and column
   */
  public static Template parse(String text) throws TemplateException {
    if (text == null) {
      throw new NullPointerException("template text is null");
    }
    return new Parser(text).parse();
  }

  /** Whether the text contains a {@code {{} placeholder, so that it needs {@link #parse}. */
  public static boolean isTemplate(String text) {
    return text != null && text.contains("{{");
  }

  /**
   * Renders the template with the given variables.
   *
   * @throws TemplateException when a name or path is undefined (the message names it and the known
   *     names at that level), a value is null, or a filter cannot handle a value
   */
  public String render(Map<String, ?> variables) throws TemplateException {
    if (parts.size() == 1 && parts.get(0) instanceof Literal literal) {
      return literal.text;
    }
    StringBuilder out = new StringBuilder(literalLength + 16 * parts.size());
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        out.append(literal.text);
      } else {
        out.append(((Expression) part).evaluate(variables));
      }
    }
    return out.toString();
  }

  /** The top-level variable names the template uses, in order of first use. */
  public Set<String> referencedNames() {
    return referencedNames;
  }

  /** The template text as parsed. */
  @Override
  public String toString() {
    return text;
  }

  private sealed interface Part permits Literal, Expression {}

  private record Literal(String text) implements Part {}

  private enum Filter {
    NODASH(0),
    DEFAULT(1),
    UPPER(0),
    LOWER(0),
    JSON(0),
    SHELL(0);

    final int arity;

    Filter(int arity) {
      this.arity = arity;
    }

    String scriptName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Filter byName(String name) {
      for (Filter f : values()) {
        if (f.scriptName().equals(name)) {
          return f;
        }
      }
      return null;
    }

    static String known() {
      TreeSet<String> names = new TreeSet<>();
      for (Filter f : values()) {
        names.add(f.scriptName());
      }
      return String.join(", ", names);
    }
  }

  private record FilterCall(Filter filter, List<Object> args, int line, int column) {}

  /** A value that a path could not reach: where it stopped, and what was there instead. */
  private record Missing(String path, String parentPath, Set<String> known) {}

  /** A constant ({@code segments == null}) or a dotted path, followed by filters. */
  private record Expression(
      Object constant, String[] segments, List<FilterCall> filters, int line, int column)
      implements Part {

    String evaluate(Map<String, ?> variables) throws TemplateException {
      Object value = segments == null ? constant : resolve(variables);
      for (FilterCall call : filters) {
        if (call.filter == Filter.DEFAULT) {
          if (value == null || value instanceof Missing) {
            value = call.args.get(0);
          }
          continue;
        }
        if (value instanceof Missing missing) {
          throw undefined(missing);
        }
        value = apply(call, value);
      }
      if (value instanceof Missing missing) {
        throw undefined(missing);
      }
      if (value == null) {
        throw new TemplateException(
            "template variable '" + String.join(".", segments) + "' is null", line, column);
      }
      return value instanceof String s ? s : value.toString();
    }

    private Object resolve(Map<String, ?> variables) {
      Object current = variables;
      for (int i = 0; i < segments.length; i++) {
        String segment = segments[i];
        Object next;
        if (current == null) {
          next = Properties.MISSING;
        } else if (current instanceof Map<?, ?> map) {
          next = map.containsKey(segment) ? map.get(segment) : Properties.MISSING;
        } else if (current instanceof List<?> list && isIndex(segment)) {
          int index = Integer.parseInt(segment);
          next = index < list.size() ? list.get(index) : Properties.MISSING;
        } else {
          next = Properties.read(current, segment);
        }
        if (next == Properties.MISSING) {
          String parentPath = i == 0 ? null : String.join(".", List.of(segments).subList(0, i));
          return new Missing(String.join(".", segments), parentPath, knownNames(current));
        }
        current = next;
      }
      return current;
    }

    private static boolean isIndex(String segment) {
      return segment.length() < 10 && segment.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static Set<String> knownNames(Object container) {
      if (container == null) {
        return null;
      }
      if (container instanceof Map<?, ?> map) {
        Set<String> names = new TreeSet<>();
        for (Object key : map.keySet()) {
          names.add(String.valueOf(key));
        }
        return names;
      }
      if (container instanceof List<?>) {
        return Set.of();
      }
      return Properties.names(container.getClass());
    }

    private TemplateException undefined(Missing missing) {
      String detail;
      if (missing.known == null) {
        detail = "'" + missing.parentPath + "' is null";
      } else {
        List<String> names = new ArrayList<>(missing.known);
        String listed =
            names.size() > 20
                ? String.join(", ", names.subList(0, 20)) + ", ..."
                : String.join(", ", names);
        detail =
            (missing.parentPath == null ? "known: " : "known in '" + missing.parentPath + "': ")
                + (names.isEmpty() ? "none" : listed);
      }
      return new TemplateException(
          "undefined template variable '" + missing.path + "'", line, column, detail);
    }

    private Object apply(FilterCall call, Object value) throws TemplateException {
      if (call.filter == Filter.JSON) {
        try {
          return Json.encode(value);
        } catch (IllegalArgumentException e) {
          throw new TemplateException(
              "filter 'json' cannot encode " + describe() + ": " + e.getMessage(),
              call.line,
              call.column);
        }
      }
      if (value == null) {
        throw new TemplateException(
            "filter '" + call.filter.scriptName() + "' got null from " + describe(),
            call.line,
            call.column);
      }
      String s = value instanceof String str ? str : value.toString();
      return switch (call.filter) {
        case NODASH -> nodash(s);
        case UPPER -> s.toUpperCase(Locale.ROOT);
        case LOWER -> s.toLowerCase(Locale.ROOT);
        case SHELL -> "'" + s.replace("'", "'\\''") + "'";
        default -> throw new IllegalStateException("unhandled filter " + call.filter);
      };
    }

    private String describe() {
      return segments == null ? "a literal" : "'" + String.join(".", segments) + "'";
    }

    private static String nodash(String s) {
      StringBuilder out = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c != '-' && c != ':') {
          out.append(c);
        }
      }
      return out.toString();
    }
  }

  private static final class Parser {
    private final String text;
    private final int[] lineStarts;
    private final List<Part> parts = new ArrayList<>();
    private final Set<String> names = new LinkedHashSet<>();
    private int pos;

    Parser(String text) {
      this.text = text;
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts.add(i + 1);
        }
      }
      this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    Template parse() throws TemplateException {
      StringBuilder literal = new StringBuilder();
      while (pos < text.length()) {
        int open = text.indexOf("{{", pos);
        if (open < 0) {
          literal.append(text, pos, text.length());
          break;
        }
        literal.append(text, pos, open);
        pos = open + 2;
        Expression expression = expression(open);
        if (expression.segments == null && expression.filters.isEmpty()) {
          // A bare literal such as {{ '{{' }} is just text; merge it with its neighbours.
          literal.append((String) expression.constant);
        } else {
          if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
          }
          parts.add(expression);
        }
      }
      if (literal.length() > 0 || parts.isEmpty()) {
        parts.add(new Literal(literal.toString()));
      }
      return new Template(text, List.copyOf(parts), Collections.unmodifiableSet(names));
    }

    private Expression expression(int open) throws TemplateException {
      skipSpaces(open);
      int start = pos;
      Object constant = null;
      String[] segments = null;
      char c = peek(open);
      if (c == '\'' || c == '"') {
        constant = stringLiteral();
      } else if (isNameStart(c)) {
        segments = path(open);
        names.add(segments[0]);
      } else {
        throw error("expected a variable name or a string literal, found " + describe(c), pos);
      }
      List<FilterCall> filters = new ArrayList<>();
      skipSpaces(open);
      while (peek(open) == '|') {
        pos++;
        skipSpaces(open);
        filters.add(filter(open));
        skipSpaces(open);
      }
      if (!text.startsWith("}}", pos)) {
        throw error("expected '|' or '}}', found " + describe(peek(open)), pos);
      }
      pos += 2;
      return new Expression(constant, segments, List.copyOf(filters), line(start), column(start));
    }

    private String[] path(int open) throws TemplateException {
      List<String> segments = new ArrayList<>();
      segments.add(name());
      while (pos < text.length() && text.charAt(pos) == '.') {
        pos++;
        char c = peek(open);
        if (!isNameStart(c) && !Character.isDigit(c)) {
          throw error("expected a name after '.', found " + describe(c), pos);
        }
        segments.add(name());
      }
      return segments.toArray(String[]::new);
    }

    private FilterCall filter(int open) throws TemplateException {
      int start = pos;
      char c = peek(open);
      if (!isNameStart(c)) {
        throw error("expected a filter name after '|', found " + describe(c), pos);
      }
      String name = name();
      Filter filter = Filter.byName(name);
      if (filter == null) {
        throw new TemplateException(
            "unknown template filter '" + name + "'",
            line(start),
            column(start),
            "known: " + Filter.known());
      }
      List<Object> args = new ArrayList<>();
      skipSpaces(open);
      if (peek(open) == '(') {
        pos++;
        skipSpaces(open);
        if (peek(open) != ')') {
          while (true) {
            args.add(argument(open));
            skipSpaces(open);
            char next = peek(open);
            if (next == ',') {
              pos++;
              skipSpaces(open);
            } else if (next == ')') {
              break;
            } else {
              throw error("expected ',' or ')', found " + describe(next), pos);
            }
          }
        }
        pos++;
      }
      if (args.size() != filter.arity) {
        throw error(
            "filter '"
                + name
                + "' takes "
                + (filter.arity == 0 ? "no arguments" : filter.arity + " argument")
                + ", got "
                + args.size(),
            start);
      }
      return new FilterCall(filter, List.copyOf(args), line(start), column(start));
    }

    private Object argument(int open) throws TemplateException {
      char c = peek(open);
      if (c == '\'' || c == '"') {
        return stringLiteral();
      }
      if (Character.isDigit(c) || c == '-') {
        int start = pos;
        pos++;
        while (pos < text.length()
            && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
          pos++;
        }
        String number = text.substring(start, pos);
        try {
          // Separate returns: a ternary would promote the long to a double.
          if (number.contains(".")) {
            return Double.parseDouble(number);
          }
          return Long.parseLong(number);
        } catch (NumberFormatException e) {
          throw error("bad number '" + number + "'", start);
        }
      }
      throw error("expected a string or number argument, found " + describe(c), pos);
    }

    private String stringLiteral() throws TemplateException {
      int start = pos;
      char quote = text.charAt(pos++);
      StringBuilder value = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == quote) {
          return value.toString();
        }
        if (c == '\\' && pos < text.length()) {
          char escaped = text.charAt(pos++);
          value.append(
              switch (escaped) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> escaped;
              });
        } else {
          value.append(c);
        }
      }
      throw error("unclosed string literal", start);
    }

    private String name() {
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** The next character, or an unclosed-braces error at the opening {@code {{} at the end. */
    private char peek(int open) throws TemplateException {
      if (pos >= text.length()) {
        throw error("unclosed '{{'", open);
      }
      return text.charAt(pos);
    }

    private void skipSpaces(int open) throws TemplateException {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      peek(open);
    }

    private static boolean isNameStart(char c) {
      return Character.isLetter(c) || c == '_';
    }

    private static String describe(char c) {
      return Character.isWhitespace(c) ? "whitespace" : "'" + c + "'";
    }

    private TemplateException error(String message, int offset) {
      return new TemplateException(message, line(offset), column(offset));
    }

    private int line(int offset) {
      int index = java.util.Arrays.binarySearch(lineStarts, offset);
      return (index >= 0 ? index : -index - 2) + 1;
    }

    private int column(int offset) {
      return offset - lineStarts[line(offset) - 1] + 1;
    }
  }
}
