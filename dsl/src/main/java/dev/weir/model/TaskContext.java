package dev.weir.model;

import java.time.ZonedDateTime;
import java.util.Map;

/**
 * What a running task knows about its run; the argument of {@code task('id') { ctx -> … }}.
 *
 * <p>Dates are in the DAG's time zone, so {@code ds} is the calendar day of the logical date where
 * the DAG runs, not in UTC.
 */
public interface TaskContext {

  /** The logical date as {@code yyyy-MM-dd}. */
  String getDs();

  ZonedDateTime getLogicalDate();

  ZonedDateTime getDataIntervalStart();

  ZonedDateTime getDataIntervalEnd();

  String getRunId();

  String getDagId();

  String getTaskId();

  /** 1 for the first try, 2 for the first retry, … */
  int getTryNumber();

  /** The DAG's parameters, with the run's conf applied over their defaults. */
  Map<String, Object> getParams();

  /** The configuration the run was triggered with; empty for scheduled runs. */
  Map<String, Object> getConf();

  /** Writes to this try's log. */
  TaskLogger getLog();

  /** Values passed between the tasks of this run. */
  XCom getXcom();

  /**
   * A connection by id, from the {@code WEIR_CONN_<ID>} environment variable or the store.
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

  /** A variable by key, or {@code defaultValue} when there is none. */
  String variable(String key, String defaultValue);

  /** The index of this instance of a mapped task, or -1 when the task is not mapped. */
  int getMapIndex();

  /** The item this instance of a mapped task works on, or null when the task is not mapped. */
  Object getItem();
}
