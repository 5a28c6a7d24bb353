package dev.weir.run;

import dev.weir.model.TriggerRule;
import dev.weir.state.TaskState;
import java.util.Collection;

/** Airflow's trigger rules, decided from the states of a task's direct upstream tasks. */
public final class TriggerRules {
  private TriggerRules() {}

  /** Counts of upstream states that trigger rules look at. Removed upstream tasks do not count. */
  public record Upstream(int total, int success, int skipped, int failed, int upstreamFailed) {
    public static Upstream of(Collection<TaskState> states) {
      int total = 0;
      int success = 0;
      int skipped = 0;
      int failed = 0;
      int upstreamFailed = 0;
      for (TaskState state : states) {
        switch (state) {
          case REMOVED -> {
            continue;
          }
          case SUCCESS -> success++;
          case SKIPPED -> skipped++;
          case FAILED -> failed++;
          case UPSTREAM_FAILED -> upstreamFailed++;
          default -> {}
        }
        total++;
      }
      return new Upstream(total, success, skipped, failed, upstreamFailed);
    }

    int done() {
      return success + skipped + failed + upstreamFailed;
    }

    boolean allDone() {
      return done() == total;
    }

    int failures() {
      return failed + upstreamFailed;
    }
  }

  /** Decides whether a task with this rule may run now. A task with no upstream always runs. */
  public static TriggerDecision decide(TriggerRule rule, Upstream up) {
    if (up.total() == 0) {
      return TriggerDecision.RUN;
    }
    return switch (rule) {
      case ALL_SUCCESS -> {
        if (up.failures() > 0) {
          yield TriggerDecision.UPSTREAM_FAILED;
        }
        if (up.skipped() > 0) {
          yield TriggerDecision.SKIP;
        }
        yield up.success() == up.total() ? TriggerDecision.RUN : TriggerDecision.WAIT;
      }
      case ALL_FAILED -> {
        if (up.success() > 0 || up.skipped() > 0) {
          yield TriggerDecision.SKIP;
        }
        yield up.allDone() ? TriggerDecision.RUN : TriggerDecision.WAIT;
      }
      case ALL_DONE -> up.allDone() ? TriggerDecision.RUN : TriggerDecision.WAIT;
      case ALL_SKIPPED -> {
        if (up.success() > 0 || up.failures() > 0) {
          yield TriggerDecision.SKIP;
        }
        yield up.allDone() ? TriggerDecision.RUN : TriggerDecision.WAIT;
      }
      case ONE_SUCCESS -> {
        if (up.success() > 0) {
          yield TriggerDecision.RUN;
        }
        if (!up.allDone()) {
          yield TriggerDecision.WAIT;
        }
        yield up.failures() > 0 ? TriggerDecision.UPSTREAM_FAILED : TriggerDecision.SKIP;
      }
      case ONE_FAILED -> {
        if (up.failures() > 0) {
          yield TriggerDecision.RUN;
        }
        yield up.allDone() ? TriggerDecision.SKIP : TriggerDecision.WAIT;
      }
      case ONE_DONE -> {
        if (up.success() > 0 || up.failures() > 0) {
          yield TriggerDecision.RUN;
        }
        yield up.allDone() ? TriggerDecision.SKIP : TriggerDecision.WAIT;
      }
      case NONE_FAILED -> {
        if (up.failures() > 0) {
          yield TriggerDecision.UPSTREAM_FAILED;
        }
        yield up.allDone() ? TriggerDecision.RUN : TriggerDecision.WAIT;
      }
      case NONE_FAILED_MIN_ONE_SUCCESS -> {
        if (up.failures() > 0) {
          yield TriggerDecision.UPSTREAM_FAILED;
        }
        if (!up.allDone()) {
          yield TriggerDecision.WAIT;
        }
        yield up.success() > 0 ? TriggerDecision.RUN : TriggerDecision.SKIP;
      }
      case NONE_SKIPPED -> {
        if (up.skipped() > 0) {
          yield TriggerDecision.SKIP;
        }
        yield up.allDone() ? TriggerDecision.RUN : TriggerDecision.WAIT;
      }
      case ALWAYS -> TriggerDecision.RUN;
    };
  }
}
