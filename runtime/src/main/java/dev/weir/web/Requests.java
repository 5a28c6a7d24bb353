package dev.weir.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.cli.Suggestions;
import dev.weir.model.DagSpec;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRow;
import dev.weir.store.DagRunRow;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the API's endpoints and the UI's pages share: reading parameters and bodies, and finding
 * DAGs and runs with 404s that name them.
 */
public final class Requests {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  private Requests() {}

  // Query parameters

  /** {@code limit}: 1 to 1000, 100 when absent. */
  public static int limit(Context ctx) {
    return intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  }

  /** {@code offset}: 0 or more, 0 when absent. */
  public static int offset(Context ctx) {
    return intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
  }

  public static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "query parameter '" + name + "' must be a whole number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw ApiException.badRequest(
          "query parameter '"
              + name
              + "' must be "
              + (max == Integer.MAX_VALUE ? min + " or more" : "from " + min + " to " + max)
              + ", got "
              + value);
    }
    return value;
  }

  /** A true/false query parameter, or null when absent. */
  public static Boolean booleanParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    throw ApiException.badRequest(
        "query parameter '" + name + "' must be true or false, got '" + text + "'");
  }

  /** An ISO-8601 date and time with an offset, or null when absent. */
  public static Instant instantParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null || text.isEmpty() ? null : instant("query parameter '" + name + "'", text);
  }

  public static Instant instant(String what, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          what
              + " must be an ISO-8601 date and time with an offset, such as"
              + " 2025-01-31T06:00:00Z; got '"
              + text
              + "'");
    }
  }

  /** The run states of repeated (or comma-separated) {@code state} parameters; empty for all. */
  public static Set<RunState> runStates(Context ctx) {
    return states(ctx, RunState.values(), RunState::label);
  }

  public static Set<TaskState> taskStates(Context ctx) {
    return states(ctx, TaskState.values(), TaskState::label);
  }

  private static <S> Set<S> states(Context ctx, S[] all, Function<S, String> label) {
    Set<S> states = new LinkedHashSet<>();
    for (String param : ctx.queryParams("state")) {
      for (String text : param.split(",")) {
        if (text.isBlank()) {
          continue;
        }
        states.add(state("query parameter 'state'", text.trim(), all, label));
      }
    }
    return states;
  }

  public static <S> S state(String what, String text, S[] all, Function<S, String> label) {
    for (S state : all) {
      if (label.apply(state).equals(text)) {
        return state;
      }
    }
    throw ApiException.badRequest(
        what
            + ": unknown state '"
            + text
            + "'; one of "
            + String.join(", ", Arrays.stream(all).map(label).toList()));
  }

  /** The page of a list that {@code limit} and {@code offset} choose. */
  public static <T> List<T> page(List<T> all, int limit, int offset) {
    if (offset >= all.size()) {
      return List.of();
    }
    return all.subList(offset, Math.min(all.size(), offset + limit));
  }

  // Bodies

  /** The request's body as a JSON object, or a 400 saying what is wrong with it. */
  public static Map<String, Object> body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      throw ApiException.badRequest("the request needs a JSON object as its body");
    }
    Object value;
    try {
      value = WebServer.JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (!(value instanceof Map<?, ?>)) {
      throw ApiException.badRequest("the body must be a JSON object, got " + typeOf(value));
    }
    return WebServer.JSON.convertValue(
        value, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /** Refuses fields the operation does not know, so a typo is not silently ignored. */
  public static void onlyFields(Map<String, Object> body, String... known) {
    Set<String> unknown = new TreeSet<>(body.keySet());
    unknown.removeAll(List.of(known));
    if (!unknown.isEmpty()) {
      throw ApiException.badRequest(
          "unknown field(s) "
              + String.join(", ", unknown)
              + " in the body; known: "
              + String.join(", ", known));
    }
  }

  public static String string(Map<String, Object> body, String field) {
    Object value = body.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ApiException.badRequest("field '" + field + "' must be a string, got " + typeOf(value));
    }
    return text;
  }

  public static String requiredString(Map<String, Object> body, String field) {
    String value = string(body, field);
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("field '" + field + "' is required");
    }
    return value;
  }

  public static boolean bool(Map<String, Object> body, String field, boolean fallback) {
    Object value = body.get(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean flag)) {
      throw ApiException.badRequest(
          "field '" + field + "' must be true or false, got " + typeOf(value));
    }
    return flag;
  }

  public static Integer integer(Map<String, Object> body, String field) {
    Object value = body.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer number)) {
      throw ApiException.badRequest(
          "field '" + field + "' must be a whole number, got " + typeOf(value));
    }
    return number;
  }

  public static List<String> strings(Map<String, Object> body, String field) {
    Object value = body.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof String)) {
      throw ApiException.badRequest("field '" + field + "' must be a list of strings");
    }
    List<String> strings = new ArrayList<>();
    list.forEach(v -> strings.add((String) v));
    return strings;
  }

  public static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return "a number";
  }

  // JSON as stored

  /** Stored JSON text as a value to answer with; text that is not JSON stays text. */
  public static Object parsed(String json) {
    if (json == null) {
      return null;
    }
    try {
      return WebServer.JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      return json;
    }
  }

  public static String write(Object value) {
    try {
      return WebServer.JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  public static Double seconds(Instant start, Instant end) {
    return start == null || end == null ? null : Duration.between(start, end).toMillis() / 1000.0;
  }

  // DAGs and runs

  /** The DAG as loaded from the DAGs folder, or a 404 naming it. */
  public static DagSpec loadedDag(WebServices services, String dagId) {
    return services
        .dags()
        .dag(dagId)
        .orElseThrow(
            () -> {
              Set<String> known = new TreeSet<>(services.dags().dags().keySet());
              services.store().dags().forEach(row -> known.add(row.dagId()));
              boolean stored = services.store().dag(dagId).isPresent();
              return ApiException.notFound(
                  "DAG '"
                      + dagId
                      + "' "
                      + (stored
                          ? "is not loaded: its file is gone or does not define it any more"
                          : "not found" + Suggestions.didYouMean(dagId, known)));
            });
  }

  /** The DAG as loaded or as the store knows it; a 404 naming it when neither does. */
  public static void knownDag(WebServices services, String dagId) {
    if (services.dags().dag(dagId).isEmpty() && services.store().dag(dagId).isEmpty()) {
      loadedDag(services, dagId);
    }
  }

  /** The stored DAG row, if any. */
  public static java.util.Optional<DagRow> dagRow(WebServices services, String dagId) {
    return services.store().dag(dagId);
  }

  /** The run of the DAG, or a 404 naming the run (or the DAG when it is unknown). */
  public static DagRunRow run(WebServices services, String dagId, String runId) {
    return services
        .store()
        .run(dagId, runId)
        .orElseThrow(
            () -> {
              knownDag(services, dagId);
              return ApiException.notFound("DAG '" + dagId + "' has no run '" + runId + "'");
            });
  }

  public static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
