package dev.weir.web;

import io.javalin.http.Context;

/**
 * The frame of every page: head, navigation, the logged-in user and the session's CSRF token (a
 * meta tag the page scripts send back in {@value Auth#CSRF_HEADER}). Bodies are built by callers
 * with every user-provided text passed through {@link Html#escape}.
 */
public final class Page {
  private Page() {}

  /** Renders a page for a logged-in user. */
  public static void render(Context ctx, String title, String body, String... scripts) {
    Principal principal = Principal.of(ctx);
    StringBuilder html = new StringBuilder(4096);
    head(html, title, principal.csrfToken());
    html.append("<header class=\"top\"><a class=\"brand\" href=\"/dags\">Weir</a><nav>")
        .append("<a href=\"/dags\">DAGs</a>")
        .append("<a href=\"/datasets\">Datasets</a>")
        .append("<a href=\"/connections\">Connections</a>")
        .append("<a href=\"/variables\">Variables</a>")
        .append("<a href=\"/pools\">Pools</a>")
        .append("</nav><div class=\"who\"><span class=\"user\">")
        .append(Html.escape(principal.username()))
        .append(" (")
        .append(Html.escape(principal.role().label()))
        .append(")</span>")
        .append("<form method=\"post\" action=\"/logout\" class=\"logout\">")
        .append("<input type=\"hidden\" name=\"")
        .append(Auth.CSRF_FIELD)
        .append("\" value=\"")
        .append(Html.escape(principal.csrfToken()))
        .append("\"><button type=\"submit\">Log out</button></form></div></header>\n");
    html.append("<main>").append(body).append("</main>\n");
    for (String script : scripts) {
      html.append("<script src=\"").append(Html.escape(script)).append("\"></script>\n");
    }
    html.append("</body></html>\n");
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }

  /** Renders a page outside the login, such as the login page itself. */
  static void renderPublic(Context ctx, String title, String body) {
    StringBuilder html = new StringBuilder(2048);
    head(html, title, null);
    html.append("<main class=\"narrow\">").append(body).append("</main></body></html>\n");
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }

  private static void head(StringBuilder html, String title, String csrfToken) {
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(Html.escape(title))
        .append(" - Weir</title>");
    if (csrfToken != null) {
      html.append("<meta name=\"csrf-token\" content=\"")
          .append(Html.escape(csrfToken))
          .append("\">");
    }
    html.append("<link rel=\"stylesheet\" href=\"/static/weir.css\"></head><body>\n");
  }
}
