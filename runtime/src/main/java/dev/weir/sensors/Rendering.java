package dev.weir.sensors;

import dev.weir.operators.RenderedFields;
import dev.weir.template.Template;
import dev.weir.template.TemplateException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a sensor's templates with the try's variables and keeps them as the try's rendered
 * fields; a failure names the field.
 */
final class Rendering {
  private final Map<String, Object> variables;
  private final RenderedFields rendered;

  Rendering(Map<String, Object> variables, RenderedFields rendered) {
    this.variables = variables;
    this.rendered = rendered;
  }

  /** The text rendered, or null for null. */
  String text(String field, String text) {
    return rendered.put(field, render(field, text));
  }

  /** Strings inside maps and lists rendered, other values kept. */
  Object deep(String field, Object value) {
    return rendered.putValue(field, renderDeep(field, value));
  }

  private String render(String field, String text) {
    if (text == null || !Template.isTemplate(text)) {
      return text;
    }
    try {
      return Template.parse(text).render(variables);
    } catch (TemplateException e) {
      throw new SensorProblem("template in " + field + ": " + e.getMessage());
    }
  }

  private Object renderDeep(String field, Object value) {
    if (value instanceof String text) {
      return render(field, text);
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), renderDeep(field + "." + k, v)));
      return result;
    } else if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        result.add(renderDeep(field + "." + i, list.get(i)));
      }
      return result;
    }
    return value;
  }

  /**
   * A date-time as templates write them: {@code 2025-01-31T06:00:00+02:00}, {@code …Z}, or {@code
   * 2025-01-31} / {@code 2025-01-31T06:00} in {@code zone}.
   */
  static Instant instant(String field, String text, ZoneId zone) {
    String value = text.trim();
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay(zone).toInstant();
      }
      if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(value).toInstant();
      }
      return LocalDateTime.parse(value).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      throw new SensorProblem(
          field
              + " '"
              + value
              + "' is not a date-time; write 2025-01-31T06:00:00+02:00, 2025-01-31T06:00:00Z,"
              + " or 2025-01-31 / 2025-01-31T06:00 in the DAG's time zone");
    }
  }
}
