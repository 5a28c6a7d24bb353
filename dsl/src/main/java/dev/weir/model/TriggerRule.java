package dev.weir.model;

/** When a task may run, judged from the states of its direct upstream tasks (Airflow's names). */
public enum TriggerRule {
  ALL_SUCCESS,
  ALL_FAILED,
  ALL_DONE,
  ALL_SKIPPED,
  ONE_SUCCESS,
  ONE_FAILED,
  ONE_DONE,
  NONE_FAILED,
  NONE_FAILED_MIN_ONE_SUCCESS,
  NONE_SKIPPED,
  ALWAYS;

  /** The name used in DAG scripts, such as {@code all_success}. */
  public String scriptName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
