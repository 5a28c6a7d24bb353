package dev.weir.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.model.CallbackEvent;
import dev.weir.run.Dates;
import dev.weir.template.Template;
import dev.weir.template.TemplateException;
import dev.weir.web.Html;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the messages of Weir's notifiers: the subject, a plain-text body, the same as HTML and the
 * webhook's JSON, for one event or a group of task events of one run.
 */
final class Messages {
  private static final Logger log = LoggerFactory.getLogger(Messages.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A group message names at most this many task instances, then "and N more". */
  static final int MAX_LISTED = 20;

  private final UnaryOperator<String> mask;

  Messages(UnaryOperator<String> mask) {
    this.mask = mask;
  }

  /**
   * The message for these events, all of one run and one event.
   *
   * @param subjectTemplate the notifier's subject template, or null for Weir's subject
   */
  Message of(List<EventFacts> events, String subjectTemplate) {
    EventFacts first = events.get(0);
    String text = mask.apply(text(events));
    String subject =
        mask.apply(
            subjectTemplate == null
                ? defaultSubject(events)
                : subject(subjectTemplate, events).replaceAll("\\s*\\R\\s*", " "));
    String link = events.size() == 1 ? first.logUrl() : first.runUrl();
    String html =
        "<html><body><pre style=\"font-family: monospace\">"
            + Html.escape(text)
            + "</pre><p><a href=\""
            + Html.escape(link)
            + "\">"
            + (first.taskId() != null && events.size() == 1 ? "Open the log" : "Open the run")
            + "</a></p></body></html>";
    return new Message(subject, text, html, mask.apply(json(events, text)), about(events));
  }

  /** The text of one event: what {@code ctx.message} says in a code callback. */
  String text(EventFacts event) {
    return mask.apply(text(List.of(event)));
  }

  private static String about(List<EventFacts> events) {
    EventFacts first = events.get(0);
    String what =
        events.size() > 1
            ? events.size() + " tasks of " + first.dagId()
            : first.taskId() == null
                ? first.dagId()
                : first.dagId() + "." + first.instance() + " try " + first.tryNumber();
    return first.event().label() + " of " + what + " in run " + first.runId();
  }

  static String defaultSubject(List<EventFacts> events) {
    EventFacts first = events.get(0);
    String what;
    if (events.size() > 1) {
      what = events.size() + " tasks of " + first.dagId();
    } else if (first.taskId() != null) {
      what = first.dagId() + "." + first.instance() + " (try " + first.tryNumber() + ")";
    } else {
      what = first.dagId();
    }
    return "[weir] " + first.event().label() + ": " + what + " in " + first.runId();
  }

  private static String subject(String template, List<EventFacts> events) {
    EventFacts first = events.get(0);
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("dag_id", first.dagId());
    values.put("run_id", first.runId());
    values.put("task_id", first.taskId() == null ? "" : String.join(", ", instances(events)));
    values.put("map_index", first.mapIndex());
    values.put("try_number", first.tryNumber());
    values.put("event", first.event().label());
    values.put("state", first.state());
    values.put("ds", first.ds());
    values.put("logical_date", Dates.iso(first.logicalDate()));
    values.put("error", first.error() == null ? "" : firstLine(first.error()));
    values.put("count", events.size());
    try {
      return Template.parse(template).render(values);
    } catch (TemplateException e) {
      log.warn(
          "The subject template '{}' of an email notifier of DAG {} cannot be rendered; using"
              + " Weir's subject: {}",
          template,
          first.dagId(),
          e.getMessage());
      return defaultSubject(events);
    }
  }

  private static String text(List<EventFacts> events) {
    return events.size() > 1 ? groupText(events) : singleText(events.get(0));
  }

  private static String singleText(EventFacts e) {
    StringBuilder text = new StringBuilder();
    if (e.taskId() != null) {
      text.append("Task ")
          .append(e.instance())
          .append(" of DAG ")
          .append(e.dagId())
          .append(' ')
          .append(verb(e.event(), false))
          .append(" (try ")
          .append(e.tryNumber())
          .append(") in run ")
          .append(e.runId())
          .append(".\n");
    } else if (e.event() == CallbackEvent.DEADLINE_MISSED) {
      text.append("Run ")
          .append(e.runId())
          .append(" of DAG ")
          .append(e.dagId())
          .append(" missed its deadline: it was due ")
          .append(
              e.deadline() == null ? "earlier" : "at " + Dates.iso(e.deadline(), ZoneOffset.UTC))
          .append(" and is not finished (")
          .append(e.state())
          .append(").\n");
    } else {
      text.append("Run ")
          .append(e.runId())
          .append(" of DAG ")
          .append(e.dagId())
          .append(' ')
          .append(verb(e.event(), false))
          .append(".\n");
    }
    text.append('\n');
    field(text, "DAG", e.dagId());
    field(text, "Run", e.runId());
    if (e.taskId() != null) {
      field(text, "Task", e.instance());
      field(text, "Try", Integer.toString(e.tryNumber()));
    }
    field(text, "State", e.state());
    field(text, "Logical date", Dates.iso(e.logicalDate()));
    if (e.deadline() != null) {
      field(text, "Due", Dates.iso(e.deadline(), ZoneOffset.UTC));
    }
    if (e.event() == CallbackEvent.RUN_FAILURE) {
      text.append("\nFailed tasks (").append(e.failedTasks().size()).append("):\n");
      appendCapped(text, e.failedTasks());
    }
    if (e.error() != null) {
      text.append("\nError:\n").append(e.error().strip()).append('\n');
    }
    if (!e.logLines().isEmpty()) {
      text.append("\nLast ").append(e.logLines().size()).append(" log lines:\n");
      e.logLines().forEach(line -> text.append(line).append('\n'));
    }
    text.append('\n').append(e.taskId() != null ? "Log: " : "Run: ").append(e.logUrl());
    return text.append('\n').toString();
  }

  private static String groupText(List<EventFacts> events) {
    EventFacts first = events.get(0);
    StringBuilder text =
        new StringBuilder()
            .append(events.size())
            .append(" tasks ")
            .append(verb(first.event(), true))
            .append(" in run ")
            .append(first.runId())
            .append(" of DAG ")
            .append(first.dagId())
            .append(": ");
    List<String> names = instances(events);
    text.append(String.join(", ", names.subList(0, Math.min(MAX_LISTED, names.size()))));
    if (names.size() > MAX_LISTED) {
      text.append(" and ").append(names.size() - MAX_LISTED).append(" more");
    }
    text.append("\n\n");
    for (EventFacts e : events.subList(0, Math.min(MAX_LISTED, events.size()))) {
      text.append("- ").append(e.instance()).append(" (try ").append(e.tryNumber()).append(")");
      if (e.error() != null) {
        text.append(": ").append(firstLine(e.error()));
      }
      text.append("\n  ").append(e.logUrl()).append('\n');
    }
    if (events.size() > MAX_LISTED) {
      text.append("and ").append(events.size() - MAX_LISTED).append(" more\n");
    }
    return text.append("\nRun: ").append(first.runUrl()).append('\n').toString();
  }

  private static String json(List<EventFacts> events, String text) {
    EventFacts first = events.get(0);
    Map<String, Object> weir = new LinkedHashMap<>();
    weir.put("event", first.event().label());
    weir.put("dag_id", first.dagId());
    weir.put("run_id", first.runId());
    weir.put("run_url", first.runUrl());
    weir.put("count", events.size());
    if (first.event() == CallbackEvent.RUN_FAILURE) {
      weir.put("failed_tasks", first.failedTasks());
    }
    if (first.deadline() != null) {
      weir.put("deadline", first.deadline().toString());
    }
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (EventFacts e : events) {
      Map<String, Object> alert = new LinkedHashMap<>();
      alert.put("task_id", e.taskId());
      alert.put("map_index", e.mapIndex());
      alert.put("try_number", e.tryNumber());
      alert.put("state", e.state());
      alert.put("error", e.error());
      alert.put("log_url", e.logUrl());
      alert.put("log_lines", e.logLines());
      alerts.add(alert);
    }
    weir.put("alerts", alerts);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", slackEscape(text));
    body.put("weir", weir);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Slack reads {@code <…>} as links and mentions: a log line must not ping a channel. */
  private static String slackEscape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String verb(CallbackEvent event, boolean plural) {
    return switch (event) {
      case TASK_SUCCESS, RUN_SUCCESS -> "succeeded";
      case TASK_FAILURE, RUN_FAILURE -> "failed";
      case TASK_RETRY -> "failed and will be retried";
      case TASK_SKIPPED -> plural ? "skipped themselves" : "skipped itself";
      case DEADLINE_MISSED -> "missed its deadline";
    };
  }

  private static List<String> instances(List<EventFacts> events) {
    return events.stream().map(EventFacts::instance).toList();
  }

  private static void appendCapped(StringBuilder text, List<String> names) {
    names.stream().limit(MAX_LISTED).forEach(n -> text.append("- ").append(n).append('\n'));
    if (names.size() > MAX_LISTED) {
      text.append("and ").append(names.size() - MAX_LISTED).append(" more\n");
    }
  }

  private static void field(StringBuilder text, String name, String value) {
    text.append(name).append(": ").append(" ".repeat(Math.max(0, 12 - name.length())));
    text.append(value).append('\n');
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int end = stripped.indexOf('\n');
    return end < 0 ? stripped : stripped.substring(0, end).strip() + " …";
  }
}
