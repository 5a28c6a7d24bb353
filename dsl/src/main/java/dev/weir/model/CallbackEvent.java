package dev.weir.model;

/** The events callbacks are set for, with the DSL setting that sets them. */
public enum CallbackEvent {
  /** A task instance succeeded. */
  TASK_SUCCESS("onSuccess", true),
  /** A task instance failed with no tries left (not called for upstream_failed). */
  TASK_FAILURE("onFailure", true),
  /** A try failed and the task will be tried again. */
  TASK_RETRY("onRetry", true),
  /** A task's own try skipped it (a short circuit or a skip from its code), as in Airflow. */
  TASK_SKIPPED("onSkipped", true),
  /** A DAG run succeeded. */
  RUN_SUCCESS("onSuccess", false),
  /** A DAG run failed. */
  RUN_FAILURE("onFailure", false),
  /** A DAG run was not finished by its deadline. */
  DEADLINE_MISSED("onMiss", false);

  private final String setting;
  private final boolean taskLevel;

  CallbackEvent(String setting, boolean taskLevel) {
    this.setting = setting;
    this.taskLevel = taskLevel;
  }

  /** The DSL setting that sets callbacks for this event, such as {@code onFailure}. */
  public String setting() {
    return setting;
  }

  /** Whether the event is about one task instance, rather than a whole run. */
  public boolean taskLevel() {
    return taskLevel;
  }

  /** The lower-case name used in the store and in messages: {@code task_failure}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The event of a label. */
  public static CallbackEvent fromLabel(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }
}
