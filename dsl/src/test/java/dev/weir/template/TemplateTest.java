package dev.weir.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  record Conf(String region, int limit) {}

  public static class Bean {
    public String getOwner() {
      return "data-team";
    }

    public boolean isActive() {
      return true;
    }
  }

  private static final Map<String, Object> VARS =
      Map.of(
          "ds",
          "2025-01-01",
          "ts",
          "2025-01-01T03:00:00+00:00",
          "params",
          Map.of("region", "eu-west-1", "limit", 10),
          "conf",
          new Conf("us-east", 5),
          "bean",
          new Bean(),
          "files",
          List.of("a.csv", "b.csv"),
          "date",
          LocalDate.of(2025, 1, 2));

  private static String render(String text) throws TemplateException {
    return Template.parse(text).render(VARS);
  }

  @Test
  void should_substitute_names_with_or_without_spaces() throws Exception {
    assertThat(render("day={{ ds }} again={{ds}}")).isEqualTo("day=2025-01-01 again=2025-01-01");
  }

  @Test
  void should_resolve_map_keys_record_components_getters_and_list_indexes() throws Exception {
    assertThat(render("{{ params.region }} {{ params.limit }}")).isEqualTo("eu-west-1 10");
    assertThat(render("{{ conf.region }}/{{ conf.limit }}")).isEqualTo("us-east/5");
    assertThat(render("{{ bean.owner }} {{ bean.active }}")).isEqualTo("data-team true");
    assertThat(render("{{ files.1 }}")).isEqualTo("b.csv");
    assertThat(render("{{ date.year }}")).isEqualTo("2025");
  }

  @Test
  void should_leave_text_without_placeholders_unchanged() throws Exception {
    assertThat(render("echo { not a template } }} {")).isEqualTo("echo { not a template } }} {");
    assertThat(render("")).isEmpty();
  }

  @Test
  void should_emit_literal_braces_from_string_literals() throws Exception {
    assertThat(render("{{ '{{' }} ds {{ \"}}\" }}")).isEqualTo("{{ ds }}");
    assertThat(render("{{ 'it\\'s' }}")).isEqualTo("it's");
  }

  @Test
  void should_apply_nodash_upper_lower() throws Exception {
    assertThat(render("{{ ds | nodash }}")).isEqualTo("20250101");
    assertThat(render("{{ ts|nodash }}")).isEqualTo("20250101T030000+0000");
    assertThat(render("{{ params.region | upper }}")).isEqualTo("EU-WEST-1");
    assertThat(render("{{ 'ABC' | lower }}")).isEqualTo("abc");
    assertThat(render("{{ date | nodash }}")).isEqualTo("20250102");
  }

  @Test
  void should_use_default_when_undefined_or_null() throws Exception {
    Map<String, Object> vars = new HashMap<>();
    vars.put("empty", null);
    vars.put("params", Map.of());
    Template t = Template.parse("{{ missing | default('x') }} {{ empty | default('y') }}");
    assertThat(t.render(vars)).isEqualTo("x y");
    assertThat(Template.parse("{{ params.region | default('eu') | upper }}").render(vars))
        .isEqualTo("EU");
    assertThat(Template.parse("{{ params.limit | default(7) }}").render(vars)).isEqualTo("7");
    assertThat(Template.parse("{{ ds | default('x') }}").render(Map.of("ds", "d"))).isEqualTo("d");
  }

  @Test
  void should_json_encode_maps_lists_strings_and_records() throws Exception {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", "a \"quoted\"\nline\\");
    map.put("n", 3);
    map.put("x", 1.5);
    map.put("ok", true);
    map.put("none", null);
    map.put("list", List.of(1, "two"));
    map.put("conf", new Conf("eu", 2));
    map.put("ctl", "\u0001");
    assertThat(Template.parse("{{ m | json }}").render(Map.of("m", map)))
        .isEqualTo(
            "{\"name\":\"a \\\"quoted\\\"\\nline\\\\\",\"n\":3,\"x\":1.5,\"ok\":true,"
                + "\"none\":null,\"list\":[1,\"two\"],\"conf\":{\"region\":\"eu\",\"limit\":2},"
                + "\"ctl\":\"\\u0001\"}");
    assertThat(render("{{ ds | json }}")).isEqualTo("\"2025-01-01\"");
    assertThat(render("{{ date | json }}")).isEqualTo("\"2025-01-02\"");
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("v", null);
    assertThat(Template.parse("{{ v | json }}").render(withNull)).isEqualTo("null");
  }

  @Test
  void should_refuse_to_json_encode_nan() throws Exception {
    Template t = Template.parse("{{ v | json }}");
    assertThatThrownBy(() -> t.render(Map.of("v", Double.NaN)))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("filter 'json' cannot encode 'v'");
  }

  @Test
  void should_shell_quote_so_bash_sees_one_word() throws Exception {
    assertThat(Template.parse("echo {{ v | shell }}").render(Map.of("v", "it's $HOME; rm -rf /")))
        .isEqualTo("echo 'it'\\''s $HOME; rm -rf /'");
    assertThat(Template.parse("{{ v | shell }}").render(Map.of("v", ""))).isEqualTo("''");
  }

  @Test
  void should_fail_on_undefined_name_and_list_known_names() throws Exception {
    Template t = Template.parse("echo {{ dss }}");
    assertThatThrownBy(() -> t.render(VARS))
        .isInstanceOf(TemplateException.class)
        .hasMessage(
            "undefined template variable 'dss' at line 1, column 9 "
                + "(known: bean, conf, date, ds, files, params, ts)");
  }

  @Test
  void should_fail_on_undefined_path_and_list_keys_at_that_level() throws Exception {
    Template t = Template.parse("run\n  --region {{ params.regoin }}");
    assertThatThrownBy(() -> t.render(VARS))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(15);
            })
        .hasMessage(
            "undefined template variable 'params.regoin' at line 2, column 15 "
                + "(known in 'params': limit, region)");
    assertThatThrownBy(() -> render("{{ conf.owner }}"))
        .hasMessageContaining("undefined template variable 'conf.owner'")
        .hasMessageContaining("known in 'conf': limit, region");
  }

  @Test
  void should_fail_on_null_value_and_on_path_through_null() throws Exception {
    Map<String, Object> vars = new HashMap<>();
    vars.put("v", null);
    assertThatThrownBy(() -> Template.parse("{{ v }}").render(vars))
        .hasMessage("template variable 'v' is null at line 1, column 4");
    assertThatThrownBy(() -> Template.parse("{{ v.x }}").render(vars))
        .hasMessage("undefined template variable 'v.x' at line 1, column 4 ('v' is null)");
    assertThatThrownBy(() -> Template.parse("{{ v | upper }}").render(vars))
        .hasMessage("filter 'upper' got null from 'v' at line 1, column 8");
  }

  @Test
  void should_fail_undefined_before_default_is_reached() throws Exception {
    Template t = Template.parse("{{ x | upper | default('a') }}");
    assertThatThrownBy(() -> t.render(Map.of()))
        .hasMessageStartingWith("undefined template variable 'x' at line 1, column 4");
  }

  @Test
  void should_report_unclosed_braces_with_line_and_column() {
    assertThatThrownBy(() -> Template.parse("a\nb {{ ds "))
        .isInstanceOf(TemplateException.class)
        .hasMessage("unclosed '{{' at line 2, column 3");
    assertThatThrownBy(() -> Template.parse("{{ 'abc }}"))
        .hasMessage("unclosed string literal at line 1, column 4");
    assertThatThrownBy(() -> Template.parse("{{ ds | default('x' }}"))
        .hasMessage("expected ',' or ')', found '}' at line 1, column 21");
  }

  @Test
  void should_report_unknown_filter_with_position_and_known_filters() {
    assertThatThrownBy(() -> Template.parse("x\n  {{ ds | nodahs }}"))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(11);
            })
        .hasMessage(
            "unknown template filter 'nodahs' at line 2, column 11 "
                + "(known: default, json, lower, nodash, shell, upper)");
  }

  @Test
  void should_report_bad_expressions() {
    assertThatThrownBy(() -> Template.parse("{{ }}"))
        .hasMessage("expected a variable name or a string literal, found '}' at line 1, column 4");
    assertThatThrownBy(() -> Template.parse("{{ a b }}"))
        .hasMessage("expected '|' or '}}', found 'b' at line 1, column 6");
    assertThatThrownBy(() -> Template.parse("{{ a | default }}"))
        .hasMessage("filter 'default' takes 1 argument, got 0 at line 1, column 8");
    assertThatThrownBy(() -> Template.parse("{{ a | upper('x') }}"))
        .hasMessage("filter 'upper' takes no arguments, got 1 at line 1, column 8");
    assertThatThrownBy(() -> Template.parse("{{ a. }}"))
        .hasMessage("expected a name after '.', found whitespace at line 1, column 6");
  }

  @Test
  void should_list_referenced_top_level_names_in_order() throws Exception {
    Template t =
        Template.parse("{{ params.a }} {{ ds }} {{ params.b }} {{ x | default('') }} {{ 'lit' }}");
    assertThat(t.referencedNames()).containsExactly("params", "ds", "x");
  }

  @Test
  void should_tell_templates_from_plain_text() {
    assertThat(Template.isTemplate("echo {{ ds }}")).isTrue();
    assertThat(Template.isTemplate("echo {ds}")).isFalse();
    assertThat(Template.isTemplate(null)).isFalse();
  }

  @Test
  void should_render_many_times_with_different_variables() throws Exception {
    Template t = Template.parse("fetch --day {{ ds }} > /tmp/sales-{{ ds | nodash }}.csv");
    for (String day : Arrays.asList("2025-01-01", "2025-02-03")) {
      assertThat(t.render(Map.of("ds", day)))
          .isEqualTo("fetch --day " + day + " > /tmp/sales-" + day.replace("-", "") + ".csv");
    }
  }

  @Test
  void should_render_a_hundred_thousand_times_quickly() throws Exception {
    Template t = Template.parse("cmd {{ ds }} {{ params.region | upper }} {{ ds | nodash }}");
    long start = System.nanoTime();
    for (int i = 0; i < 100_000; i++) {
      t.render(VARS);
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }
}
