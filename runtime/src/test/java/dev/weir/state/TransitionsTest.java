package dev.weir.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransitionsTest {

  @Test
  void should_allow_the_scheduler_path_from_none_to_success() {
    TaskState state = TaskState.NONE;
    for (TaskState next :
        new TaskState[] {
          TaskState.SCHEDULED, TaskState.QUEUED, TaskState.RUNNING, TaskState.SUCCESS
        }) {
      state = Transitions.check(state, next);
    }
    assertThat(state).isEqualTo(TaskState.SUCCESS);
  }

  @Test
  void should_allow_retry_loop() {
    assertThat(Transitions.allowed(TaskState.RUNNING, TaskState.UP_FOR_RETRY)).isTrue();
    assertThat(Transitions.allowed(TaskState.UP_FOR_RETRY, TaskState.SCHEDULED)).isTrue();
    assertThat(Transitions.allowed(TaskState.RUNNING, TaskState.UP_FOR_RESCHEDULE)).isTrue();
  }

  @Test
  void should_throw_a_named_exception_for_an_illegal_change() {
    assertThatThrownBy(() -> Transitions.check(TaskState.SUCCESS, TaskState.RUNNING))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessage("a task instance cannot go from success to running");
    assertThatThrownBy(() -> Transitions.check(TaskState.NONE, TaskState.RUNNING))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> Transitions.check(RunState.QUEUED, RunState.SUCCESS))
        .hasMessage("a DAG run cannot go from queued to success");
  }

  @Test
  void should_let_every_finished_state_be_cleared_and_nothing_else_leave_it() {
    for (TaskState finished : TaskState.values()) {
      if (!finished.isFinished()) {
        continue;
      }
      for (TaskState to : TaskState.values()) {
        assertThat(Transitions.allowed(finished, to))
            .as(finished + " -> " + to)
            .isEqualTo(to == TaskState.NONE);
      }
    }
  }

  @Test
  void should_allow_marking_except_while_running() {
    assertThat(Transitions.checkMark(TaskState.FAILED, TaskState.SUCCESS))
        .isEqualTo(TaskState.SUCCESS);
    assertThat(Transitions.checkMark(TaskState.NONE, TaskState.FAILED)).isEqualTo(TaskState.FAILED);
    assertThatThrownBy(() -> Transitions.checkMark(TaskState.RUNNING, TaskState.SUCCESS))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> Transitions.checkMark(TaskState.FAILED, TaskState.SKIPPED))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void should_let_a_user_mark_a_run_any_other_state_but_running() {
    assertThat(Transitions.checkRunMark(RunState.QUEUED, RunState.SUCCESS))
        .isEqualTo(RunState.SUCCESS);
    assertThat(Transitions.checkRunMark(RunState.FAILED, RunState.SUCCESS))
        .isEqualTo(RunState.SUCCESS);
    assertThat(Transitions.checkRunMark(RunState.SUCCESS, RunState.FAILED))
        .isEqualTo(RunState.FAILED);
    assertThat(Transitions.checkRunMark(RunState.RUNNING, RunState.QUEUED))
        .isEqualTo(RunState.QUEUED);
    for (RunState from : RunState.values()) {
      assertThatThrownBy(() -> Transitions.checkRunMark(from, RunState.RUNNING))
          .isInstanceOf(IllegalTransitionException.class);
      assertThatThrownBy(() -> Transitions.checkRunMark(from, from))
          .isInstanceOf(IllegalTransitionException.class);
    }
    assertThatThrownBy(() -> Transitions.checkRunMark(RunState.QUEUED, RunState.RUNNING))
        .hasMessage("marking a DAG run cannot go from queued to running");
  }

  @Test
  void should_keep_the_schedulers_own_run_changes_apart_from_marks() {
    // The scheduler never finishes a run it has not started, nor flips a finished run's outcome.
    assertThat(Transitions.allowed(RunState.QUEUED, RunState.SUCCESS)).isFalse();
    assertThat(Transitions.allowed(RunState.SUCCESS, RunState.FAILED)).isFalse();
    assertThat(Transitions.allowed(RunState.FAILED, RunState.SUCCESS)).isFalse();
    assertThat(Transitions.allowed(RunState.RUNNING, RunState.QUEUED)).isFalse();
  }

  @Test
  void should_let_what_waits_for_a_try_be_skipped_when_its_run_is_marked_failed() {
    assertThat(Transitions.check(TaskState.UP_FOR_RETRY, TaskState.SKIPPED))
        .isEqualTo(TaskState.SKIPPED);
    assertThat(Transitions.check(TaskState.UP_FOR_RESCHEDULE, TaskState.SKIPPED))
        .isEqualTo(TaskState.SKIPPED);
    assertThat(Transitions.check(TaskState.SCHEDULED, TaskState.SKIPPED))
        .isEqualTo(TaskState.SKIPPED);
  }
}
