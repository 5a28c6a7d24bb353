package dev.weir.operators;

import dev.weir.template.Template;
import dev.weir.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders an operator's template fields just before it runs. */
final class Templates {
  private Templates() {}

  /** The text rendered, or the text itself when it has no {@code {{ }}}; null stays null. */
  static String render(String text, Map<String, Object> variables, String field) {
    if (text == null || !Template.isTemplate(text)) {
      return text;
    }
    try {
      return Template.parse(text).render(variables);
    } catch (TemplateException e) {
      throw new OperatorException("template in " + field + ": " + e.getMessage(), e);
    }
  }

  /** Renders every string inside maps and lists; other values stay as they are. */
  static Object renderStrings(Object value, Map<String, Object> variables, String field) {
    if (value instanceof String s) {
      return render(s, variables, field);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> rendered = new LinkedHashMap<>();
      map.forEach((k, v) -> rendered.put(String.valueOf(k), renderStrings(v, variables, field)));
      return rendered;
    }
    if (value instanceof List<?> list) {
      List<Object> rendered = new ArrayList<>();
      list.forEach(v -> rendered.add(renderStrings(v, variables, field)));
      return rendered;
    }
    return value;
  }
}
