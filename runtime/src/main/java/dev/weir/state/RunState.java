package dev.weir.state;

import java.util.Locale;

/** The state of a DAG run. */
public enum RunState {
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED;

  public boolean isFinished() {
    return this == SUCCESS || this == FAILED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
