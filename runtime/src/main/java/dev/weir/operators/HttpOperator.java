package dev.weir.operators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.model.Connection;
import dev.weir.model.TaskAction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@code http} task: renders the request, sends it, checks the status and returns the
 * response as parsed JSON or text.
 */
final class HttpOperator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpOperator() {}

  static Object run(TaskAction.Http action, OperatorContext ctx, HttpCaller caller)
      throws InterruptedException {
    HttpCall call = call(action, ctx);
    ctx.log().info("Sending {}", call);
    long started = System.nanoTime();
    HttpCaller.Reply reply = caller.send(call, action.maxResponseBytes());
    ctx.log()
        .info(
            "{} answered {} in {} ms",
            call,
            reply.status(),
            (System.nanoTime() - started) / 1_000_000);
    if (!accepted(action.expectStatus(), reply.status())) {
      throw new OperatorException(
          call
              + " returned "
              + reply.status()
              + ", expected "
              + (action.expectStatus().isEmpty() ? "2xx" : describe(action.expectStatus()))
              + (reply.body().isEmpty() ? "" : ": " + reply.excerpt()));
    }
    String as = action.responseAs();
    if (as.equals("none") || action.method().equals("HEAD")) {
      return null;
    }
    if (reply.truncated()) {
      throw new OperatorException(
          "the response of "
              + call
              + " is larger than "
              + action.maxResponseBytes()
              + " bytes; raise maxResponseBytes or use responseAs 'none'");
    }
    if (as.equals("json") || (as.equals("auto") && reply.isJson())) {
      if (reply.body().isBlank()) {
        return null;
      }
      try {
        return JSON.readValue(reply.body(), Object.class);
      } catch (JsonProcessingException e) {
        throw new OperatorException(
            "the response of "
                + call
                + " is not JSON: "
                + e.getOriginalMessage()
                + ": "
                + reply.excerpt(),
            e);
      }
    }
    return reply.body();
  }

  /** The rendered request of the task. */
  static HttpCall call(TaskAction.Http action, OperatorContext ctx) {
    Map<String, String> headers = new LinkedHashMap<>();
    String base;
    if (action.conn() != null) {
      Connection connection = ctx.connection(action.conn());
      base = HttpCall.baseUrl(connection);
      headers.putAll(HttpCall.connectionHeaders(connection));
    } else {
      base = ctx.render(action.url(), "url");
    }
    String endpoint = ctx.render(action.endpoint(), "endpoint");
    String body = ctx.render(action.body(), "body");
    if (action.json() != null) {
      try {
        body =
            ctx.rendered()
                .put(
                    "json",
                    JSON.writeValueAsString(
                        Templates.renderStrings(action.json(), ctx.variables(), "json")));
      } catch (JsonProcessingException e) {
        throw new OperatorException("cannot write the json body: " + e.getOriginalMessage(), e);
      }
      if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))
          && action.headers().keySet().stream()
              .noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
        headers.put("Content-Type", "application/json");
      }
    }
    action
        .headers()
        .forEach((name, value) -> headers.put(name, ctx.render(value, "header " + name)));
    return new HttpCall(
        HttpCall.resolve(base, endpoint), action.method(), headers, body, action.timeout());
  }

  private static boolean accepted(List<Integer> expected, int status) {
    return expected.isEmpty() ? status >= 200 && status < 300 : expected.contains(status);
  }

  private static String describe(List<Integer> codes) {
    if (codes.size() > 2 && codes.get(codes.size() - 1) - codes.get(0) == codes.size() - 1) {
      return codes.get(0) + ".." + codes.get(codes.size() - 1);
    }
    return codes.size() == 1 ? codes.get(0).toString() : codes.toString();
  }
}
