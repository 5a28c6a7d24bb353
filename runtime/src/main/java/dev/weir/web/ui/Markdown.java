package dev.weir.web.ui;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** DAG and task docs as HTML: Markdown, with raw HTML escaped and unsafe links dropped. */
final class Markdown {
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  private Markdown() {}

  static String toHtml(String markdown) {
    if (markdown == null || markdown.isBlank()) {
      return "";
    }
    return RENDERER.render(PARSER.parse(stripIndent(markdown)));
  }

  /** Docs written in a Groovy triple-quoted string are indented like the script around them. */
  private static String stripIndent(String text) {
    return text.stripIndent().strip();
  }
}
