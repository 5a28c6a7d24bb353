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
}
