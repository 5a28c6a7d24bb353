package dev.weir.model;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * What a callback knows about the event it was called for; the argument of {@code onFailure { ctx
 * -> … }}. Task values are null (or -1, 0) for run events.
 */
public interface CallbackContext {

  CallbackEvent getEvent();

  String getDagId();

  String getRunId();

  /** The task, or null for a run event. */
  String getTaskId();

  /** The index of a mapped instance, or -1. */
  int getMapIndex();

  /** The try that ended, or 0 for a run event. */
  int getTryNumber();

  /** The state of the task instance or run: {@code failed}, {@code up_for_retry}, … */
  String getState();

  /** The error of the failed try (or why the run failed), or null. */
  String getException();

  /** The last lines of the try's log (secrets masked); empty for a run event. */
  List<String> getLogLines();

  /** A link to the task's log page, or to the run's page for a run event. */
  String getLogUrl();

  /** The logical date as {@code yyyy-MM-dd}, in the DAG's time zone. */
  String getDs();

  ZonedDateTime getLogicalDate();

  ZonedDateTime getDataIntervalStart();

  ZonedDateTime getDataIntervalEnd();

  /** The DAG's parameters with the run's conf applied. */
  Map<String, Object> getParams();

  /** The run's conf; empty for scheduled runs. */
  Map<String, Object> getConf();

  /** For run events: the ids of the run's failed task instances ({@code task[2]} when mapped). */
  List<String> getFailedTasks();

  /** For a missed deadline: when the run was due; otherwise null. */
  Instant getDeadline();

  /** The message Weir's own notifiers send for this event. */
  String getMessage();

  /** Writes to the scheduler's log, naming the DAG, run and event. */
  TaskLogger getLog();

  /**
   * A connection by id, from {@code WEIR_CONN_<ID>} or the store.
   *
   * @throws IllegalArgumentException naming the id when there is no such connection
   */
  Connection connection(String id);

  /**
   * A variable by key, from {@code WEIR_VAR_<KEY>} or the store.
   *
   * @throws IllegalArgumentException naming the key when there is no such variable
   */
  String variable(String key);
}
