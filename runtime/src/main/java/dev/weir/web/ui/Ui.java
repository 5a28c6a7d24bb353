package dev.weir.web.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.users.Role;
import dev.weir.web.ApiException;
import dev.weir.web.Principal;
import dev.weir.web.Requests;
import dev.weir.web.WebServer;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the page families share: encoding links, JSON rows, answering data requests. */
final class Ui {
  private Ui() {}

  /** Encodes a path segment or query value: run ids hold {@code +} and {@code :}. */
  static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The link to a task instance's page. */
  static String taskInstanceLink(String dagId, String runId, String taskId, int mapIndex) {
    return "/dags/"
        + url(dagId)
        + "/runs/"
        + url(runId)
        + "/tasks/"
        + url(taskId)
        + (mapIndex >= 0 ? "?map_index=" + mapIndex : "");
  }

  static boolean may(Context ctx, Role role) {
    return Principal.of(ctx).may(role);
  }

  /**
   * JSON whose {@code <}, {@code >}, {@code &} and quotes are written as {@code \\u} escapes: the
   * same values, but no markup even if a browser were tricked into reading it as HTML.
   */
  private static final ObjectMapper JSON = WebServer.JSON.copy();

  static {
    JSON.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
  }

  /** What a {@code /ui/data} endpoint answers for a request. */
  interface DataSource {
    Object answer(Context ctx);
  }

  /**
   * A {@code /ui/data} endpoint: its answer as JSON, and a refused request as problem JSON ({@code
   * {"status", "title", "detail"}}) as the REST API answers, so that pages show the message.
   */
  static Handler data(DataSource source) {
    return ctx -> {
      Object answer;
      try {
        answer = source.answer(ctx);
      } catch (ApiException e) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", e.status());
        problem.put(
            "title", e.status() == 404 ? "Not Found" : e.status() == 400 ? "Bad Request" : "Error");
        problem.put("detail", e.getMessage());
        ctx.status(e.status());
        answer = problem;
      }
      json(ctx, answer);
    };
  }

  static void json(Context ctx, Object value) {
    try {
      ctx.contentType("application/json").result(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + ctx.path() + " as JSON", e);
    }
  }

  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private final int[] escapes;

    HtmlSafeEscapes() {
      escapes = standardAsciiEscapesForJSON();
      for (char ch : new char[] {'<', '>', '&', '\'', '"'}) {
        escapes[ch] = ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }

  static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static String requiredParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("query parameter '" + name + "' is missing");
    }
    return value;
  }

  static Map<String, Object> runJson(DagRunRow run) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("run_id", run.runId());
    row.put("run_type", run.type().label());
    row.put("state", run.state().label());
    row.put("logical_date", iso(run.logicalDate()));
    row.put("data_interval_start", iso(run.intervalStart()));
    row.put("data_interval_end", iso(run.intervalEnd()));
    row.put("queued_at", iso(run.queuedAt()));
    row.put("start_date", iso(run.startDate()));
    row.put("end_date", iso(run.endDate()));
    row.put("duration", Requests.seconds(run.startDate(), run.endDate()));
    row.put("conf", run.conf());
    row.put("version_id", run.versionId());
    return row;
  }

  static String state(TaskInstanceRow instance) {
    return instance.state() == null ? "none" : instance.state().label();
  }
}
