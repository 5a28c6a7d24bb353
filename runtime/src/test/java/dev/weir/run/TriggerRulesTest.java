package dev.weir.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.TriggerRule;
import dev.weir.state.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerRulesTest {

  /** Upstream states as letters: s success, k skipped, f failed, u upstream_failed, r running. */
  private static TriggerRules.Upstream upstream(String letters) {
    List<TaskState> states = new ArrayList<>();
    for (char c : letters.toCharArray()) {
      states.add(
          switch (c) {
            case 's' -> TaskState.SUCCESS;
            case 'k' -> TaskState.SKIPPED;
            case 'f' -> TaskState.FAILED;
            case 'u' -> TaskState.UPSTREAM_FAILED;
            case 'r' -> TaskState.RUNNING;
            case 'x' -> TaskState.REMOVED;
            default -> throw new IllegalArgumentException("letter " + c);
          });
    }
    return TriggerRules.Upstream.of(states);
  }

  @ParameterizedTest(name = "{0} with upstream {1} -> {2}")
  @CsvSource({
    "all_success, ss, RUN",
    "all_success, sr, WAIT",
    "all_success, sk, SKIP",
    "all_success, sf, UPSTREAM_FAILED",
    "all_success, ru, UPSTREAM_FAILED",
    "all_failed, ff, RUN",
    "all_failed, fu, RUN",
    "all_failed, fr, WAIT",
    "all_failed, fs, SKIP",
    "all_failed, fk, SKIP",
    "all_done, sfk, RUN",
    "all_done, sfr, WAIT",
    "all_skipped, kk, RUN",
    "all_skipped, kr, WAIT",
    "all_skipped, ks, SKIP",
    "all_skipped, kf, SKIP",
    "one_success, sr, RUN",
    "one_success, rr, WAIT",
    "one_success, kk, SKIP",
    "one_success, kf, UPSTREAM_FAILED",
    "one_failed, fr, RUN",
    "one_failed, ur, RUN",
    "one_failed, sr, WAIT",
    "one_failed, sk, SKIP",
    "one_done, sr, RUN",
    "one_done, fr, RUN",
    "one_done, kr, WAIT",
    "one_done, kk, SKIP",
    "none_failed, sk, RUN",
    "none_failed, kk, RUN",
    "none_failed, sr, WAIT",
    "none_failed, sf, UPSTREAM_FAILED",
    "none_failed_min_one_success, sk, RUN",
    "none_failed_min_one_success, kk, SKIP",
    "none_failed_min_one_success, kr, WAIT",
    "none_failed_min_one_success, ku, UPSTREAM_FAILED",
    "none_skipped, sf, RUN",
    "none_skipped, sr, WAIT",
    "none_skipped, sk, SKIP",
    "always, rr, RUN",
    "always, ff, RUN",
  })
  void should_decide_like_airflow(String rule, String upstream, TriggerDecision expected) {
    TriggerRule triggerRule = TriggerRule.valueOf(rule.toUpperCase(Locale.ROOT));
    assertThat(TriggerRules.decide(triggerRule, upstream(upstream))).isEqualTo(expected);
  }

  @Test
  void should_run_a_task_without_upstream_whatever_its_rule() {
    for (TriggerRule rule : TriggerRule.values()) {
      assertThat(TriggerRules.decide(rule, upstream(""))).isEqualTo(TriggerDecision.RUN);
    }
  }

  @Test
  void should_ignore_removed_upstream_tasks() {
    assertThat(TriggerRules.decide(TriggerRule.ALL_SUCCESS, upstream("sx")))
        .isEqualTo(TriggerDecision.RUN);
  }
}
