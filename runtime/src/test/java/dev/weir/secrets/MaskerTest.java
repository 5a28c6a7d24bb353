package dev.weir.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskerTest {

  @Test
  void should_hide_every_occurrence_of_every_secret() {
    Masker masker = Masker.of(List.of("hunter22", "tok-9999"));

    assertThat(masker.mask("login hunter22 then hunter22, token tok-9999."))
        .isEqualTo("login *** then ***, token ***.");
    assertThat(masker.mask("nothing here")).isEqualTo("nothing here");
    assertThat(masker.mask(null)).isNull();
  }

  @Test
  void should_hide_a_longer_secret_whole_when_it_contains_a_shorter_one() {
    Masker masker = Masker.of(List.of("pass", "password123"));

    assertThat(masker.mask("x password123 y pass")).isEqualTo("x *** y ***");
  }

  @Test
  void should_ignore_short_and_null_values() {
    Masker masker = Masker.of(java.util.Arrays.asList("abc", null, "", "abcd"));

    assertThat(masker.mask("abc abcd")).isEqualTo("abc ***");
    assertThat(Masker.of(List.of("a", "ab")).size()).isZero();
  }

  @Test
  void should_hide_each_line_of_a_multi_line_secret_and_its_url_encoded_forms() {
    Masker masker =
        Masker.of(List.of("-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----", "p@ss word"));

    assertThat(masker.mask("AAAABBBBCCCC")).isEqualTo("***");
    assertThat(masker.mask("-----END KEY-----")).isEqualTo("***");
    assertThat(masker.mask("postgres://u:p%40ss%20word@h and p%40ss+word"))
        .isEqualTo("postgres://u:***@h and ***");
  }

  @Test
  void should_mask_lines_fast_with_a_hundred_secrets() {
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      secrets.add("secret-value-" + i + "-" + Integer.toHexString(i * 7919));
    }
    Masker masker = Masker.of(secrets);
    String clean =
        "2025-01-01T03:00:00.123Z INFO Loaded 12345 rows into warehouse.sales_daily in 812 ms"
            + " (batch 17 of 40)";
    String dirty = clean + " secret-value-42-" + Integer.toHexString(42 * 7919);
    int lines = 200_000;
    long sink = 0;
    for (int i = 0; i < lines / 10; i++) {
      sink += masker.mask(clean).length(); // warm up
    }
    long start = System.nanoTime();
    for (int i = 0; i < lines; i++) {
      sink += masker.mask(i % 100 == 0 ? dirty : clean).length();
    }
    long nanos = System.nanoTime() - start;
    double perLine = nanos / (double) lines;
    System.out.printf(
        "Masker: %d secrets (%d forms), %.0f ns per 100-char line, %.0f lines/s (%d)%n",
        secrets.size(), masker.size(), perLine, 1e9 / perLine, sink);
    assertThat(masker.mask(dirty)).endsWith(" ***");
    // Generous: a slow CI machine still masks well over 50,000 lines per second.
    assertThat(perLine).isLessThan(20_000);
  }
}
