package dev.weir.state;

import java.util.Locale;

/** The state of one task instance (Airflow's names). */
public enum TaskState {
  NONE,
  SCHEDULED,
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED,
  SKIPPED,
  UPSTREAM_FAILED,
  UP_FOR_RETRY,
  UP_FOR_RESCHEDULE,
  REMOVED;

  /** True once nothing more will happen to the instance unless a user clears it. */
  public boolean isFinished() {
    return this == SUCCESS
        || this == FAILED
        || this == SKIPPED
        || this == UPSTREAM_FAILED
        || this == REMOVED;
  }

  /** The lower-case name shown to users, such as {@code upstream_failed}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
