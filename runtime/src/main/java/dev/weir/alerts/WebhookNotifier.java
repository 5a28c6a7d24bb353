package dev.weir.alerts;

import dev.weir.model.Callback;
import dev.weir.model.Connection;
import dev.weir.operators.HttpCall;
import dev.weir.secrets.Secrets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code webhook(url: …)} or {@code webhook(conn: …)}: the message's JSON POSTed to a
 * Slack-compatible incoming webhook or any URL; a 2xx answer is success.
 *
 * <p>A connection's URL is its extra {@code webhook_url} or {@code url} when set; else, for types
 * {@code http} and {@code https}, the URL the http operator would use (its {@code base_url} extra,
 * or host, port and schema as path); for other types ({@code slack}, …) the same with {@code
 * https}. Its login and password become basic authentication, its extra {@code headers} headers.
 */
final class WebhookNotifier implements Notifier {
  private final Callback.Webhook webhook;
  private final Secrets secrets;
  private final HttpClient client;
  private final Duration timeout;

  WebhookNotifier(Callback.Webhook webhook, Secrets secrets, HttpClient client, Duration timeout) {
    this.webhook = webhook;
    this.secrets = secrets;
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public String kind() {
    return "webhook";
  }

  @Override
  public String describe() {
    if (webhook.conn() != null) {
      return "webhook of connection '" + webhook.conn() + "'";
    }
    // A webhook's path is often its secret (Slack's are): name only the server.
    try {
      URI uri = URI.create(webhook.url());
      return "webhook " + uri.getScheme() + "://" + uri.getAuthority();
    } catch (IllegalArgumentException e) {
      return "webhook with an invalid URL";
    }
  }

  @Override
  public void send(Message message) throws IOException, InterruptedException {
    URI uri;
    Map<String, String> headers = Map.of();
    if (webhook.conn() != null) {
      Connection connection = secrets.connection(webhook.conn());
      uri = HttpCall.resolve(url(connection), null);
      headers = HttpCall.connectionHeaders(connection);
    } else {
      uri = HttpCall.resolve(webhook.url(), null);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(message.json(), StandardCharsets.UTF_8));
    headers.forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      String body = response.body() == null ? "" : response.body().strip();
      throw new IOException(
          "answered "
              + status
              + (body.isEmpty()
                  ? ""
                  : ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body)));
    }
  }

  static String url(Connection connection) {
    for (String name : new String[] {"webhook_url", "url"}) {
      Object value = connection.extra().get(name);
      if (value != null && !String.valueOf(value).isBlank()) {
        return String.valueOf(value);
      }
    }
    String type = connection.type() == null ? "" : connection.type().toLowerCase(Locale.ROOT);
    if (type.equals("http") || type.equals("https") || connection.extra().containsKey("base_url")) {
      return HttpCall.baseUrl(connection);
    }
    if (connection.host() == null || connection.host().isBlank()) {
      throw new IllegalArgumentException(
          "connection '" + connection.id() + "' has no host (nor a url extra) to send webhooks to");
    }
    String base =
        (connection.host().contains("://") ? connection.host() : "https://" + connection.host())
            + (connection.port() == null ? "" : ":" + connection.port());
    String path = connection.schema();
    if (path == null || path.isBlank()) {
      return base;
    }
    return base + (path.startsWith("/") ? path : "/" + path);
  }
}
