package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RenderedFieldsTest {
  private static final String SECRET = "tok-ABCDEF123";
  private static final UnaryOperator<String> MASK = text -> text.replace(SECRET, "***");

  @Test
  void should_keep_fields_in_the_order_rendered_with_the_last_value_of_a_field() {
    RenderedFields rendered = new RenderedFields();
    assertThat(rendered.isEmpty()).isTrue();

    assertThat(rendered.put("command", "echo 1")).isEqualTo("echo 1");
    rendered.put("env B", "b");
    rendered.put("env A", null);
    rendered.put("command", "echo 2");

    assertThat(rendered.masked(MASK))
        .containsExactly(Map.entry("command", "echo 2"), Map.entry("env B", "b"));
    assertThat(rendered.isEmpty()).isFalse();
  }

  @Test
  void should_keep_values_that_are_not_texts_as_json() {
    RenderedFields rendered = new RenderedFields();
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("day", "2025-03-01");
    conf.put("ids", List.of(1, 2));

    assertThat(rendered.putValue("conf", conf)).isSameAs(conf);
    rendered.putValue("parameter 1", 5);
    rendered.putValue("parameter 2", "text");
    rendered.putValue("parameter 3", null);

    assertThat(rendered.masked(MASK))
        .containsExactly(
            Map.entry("conf", "{\"day\":\"2025-03-01\",\"ids\":[1,2]}"),
            Map.entry("parameter 1", "5"),
            Map.entry("parameter 2", "text"));
  }

  @Test
  void should_mask_secrets_before_cutting_a_long_value_so_no_part_of_one_shows() {
    RenderedFields rendered = new RenderedFields();
    String padding = "x".repeat(RenderedFields.MAX_FIELD_CHARS - 5);
    rendered.put("command", padding + SECRET + " and more");

    String kept = rendered.masked(MASK).get("command");

    assertThat(kept)
        .startsWith(padding + "***")
        .doesNotContain("tok-")
        .doesNotContain("ABC")
        .doesNotContain(" and more");
    assertThat(kept)
        .isEqualTo(
            padding
                + "*** a… (cut: "
                + (RenderedFields.MAX_FIELD_CHARS + 7)
                + " characters in all)");
  }

  @Test
  void should_cut_each_field_and_all_fields_to_their_limits_saying_so() {
    RenderedFields rendered = new RenderedFields();
    int fields = RenderedFields.MAX_TOTAL_CHARS / RenderedFields.MAX_FIELD_CHARS + 2;
    for (int i = 0; i < fields; i++) {
      rendered.put("f" + i, "y".repeat(RenderedFields.MAX_FIELD_CHARS + 10));
    }

    Map<String, String> kept = rendered.masked(MASK);

    assertThat(kept).hasSize(fields);
    assertThat(kept.get("f0"))
        .startsWith("y".repeat(RenderedFields.MAX_FIELD_CHARS))
        .endsWith("… (cut: " + (RenderedFields.MAX_FIELD_CHARS + 10) + " characters in all)");
    // The names of fields past the limit are kept, with no text.
    int names =
        kept.entrySet().stream()
            .filter(field -> field.getValue().startsWith("y"))
            .mapToInt(field -> field.getKey().length())
            .sum();
    int text = kept.values().stream().mapToInt(v -> v.replaceAll("[^y]", "").length()).sum();
    assertThat(names + text).isEqualTo(RenderedFields.MAX_TOTAL_CHARS);
    assertThat(kept.get("f" + (fields - 1))).startsWith("… (cut:");
  }

  @Test
  void should_never_cut_a_character_in_half() {
    RenderedFields rendered = new RenderedFields();
    String emoji = "\uD83D\uDE00"; // one character, two chars
    rendered.put("body", "a".repeat(RenderedFields.MAX_FIELD_CHARS - 1) + emoji + "tail");

    String kept = rendered.masked(MASK).get("body");

    assertThat(kept).startsWith("a".repeat(RenderedFields.MAX_FIELD_CHARS - 1) + "…");
  }
}
