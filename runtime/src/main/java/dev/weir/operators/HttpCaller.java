package dev.weir.operators;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends {@link HttpCall}s with one shared {@link HttpClient} and reads at most a given number of
 * bytes of each response. Thread-safe; shared by the http operator and sensor.
 */
public final class HttpCaller {
  private final HttpClient client;

  public HttpCaller() {
    this(
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build());
  }

  public HttpCaller(HttpClient client) {
    this.client = client;
  }

  /**
   * A response, its body cut at the limit.
   *
   * @param truncated whether the body was longer than the limit
   */
  public record Reply(int status, Optional<String> contentType, String body, boolean truncated) {

    /** Whether the Content-Type says JSON ({@code application/json}, {@code …+json}). */
    public boolean isJson() {
      return contentType
          .map(type -> type.toLowerCase(Locale.ROOT).split(";")[0].trim())
          .filter(type -> type.equals("application/json") || type.endsWith("+json"))
          .isPresent();
    }

    /** The start of the body, on one line, for messages. */
    public String excerpt() {
      String text = body.replaceAll("\\s+", " ").trim();
      return text.length() > 300 ? text.substring(0, 297) + "..." : text;
    }
  }

  /**
   * Sends the call and reads up to {@code maxBytes} of the body.
   *
   * @throws OperatorException when the server cannot be reached or does not answer in time
   * @throws InterruptedException when the thread is interrupted (the request is abandoned)
   */
  public Reply send(HttpCall call, int maxBytes) throws InterruptedException {
    HttpResponse<InputStream> response;
    try {
      response = client.send(call.toRequest(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new OperatorException(
          call + " timed out after " + call.timeout().toSeconds() + " s", e);
    } catch (IOException e) {
      throw new OperatorException(call + " failed: " + e, e);
    }
    Optional<String> contentType = response.headers().firstValue("Content-Type");
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      boolean truncated = bytes.length > maxBytes;
      int length = truncated ? maxBytes : bytes.length;
      return new Reply(
          response.statusCode(),
          contentType,
          new String(bytes, 0, length, charset(contentType)),
          truncated);
    } catch (IOException e) {
      throw new OperatorException("reading the response of " + call + " failed: " + e, e);
    }
  }

  private static Charset charset(Optional<String> contentType) {
    if (contentType.isPresent()) {
      for (String part : contentType.get().split(";")) {
        String p = part.trim();
        if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
          try {
            return Charset.forName(p.substring(8).replace("\"", ""));
          } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
          }
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
