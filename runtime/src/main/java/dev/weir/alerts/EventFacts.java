package dev.weir.alerts;

import dev.weir.model.CallbackEvent;
import dev.weir.store.TaskInstanceRow;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Everything a message or a code callback says about one outbox row, resolved from the store, the
 * DAG and the try's log; secrets already masked.
 *
 * @param taskId the task, or null for a run event
 * @param state the state of the task instance or run the event is about
 * @param error the failed try's error (or why the run failed), or null
 * @param logUrl the task instance's page, or the run's for a run event
 * @param failedTasks for run events: the run's failed instances ({@code task[2]} when mapped)
 * @param deadline for a missed deadline: when the run was due; else null
 */
record EventFacts(
    long alertId,
    long runPk,
    CallbackEvent event,
    String dagId,
    String runId,
    String taskId,
    int mapIndex,
    int tryNumber,
    String state,
    String error,
    List<String> logLines,
    String logUrl,
    String runUrl,
    ZonedDateTime logicalDate,
    ZonedDateTime intervalStart,
    ZonedDateTime intervalEnd,
    Map<String, Object> conf,
    Map<String, Object> params,
    List<String> failedTasks,
    Instant deadline) {

  EventFacts {
    logLines = List.copyOf(logLines);
    failedTasks = List.copyOf(failedTasks);
  }

  /** {@code load}, or {@code load[2]} for a mapped instance; null for a run event. */
  String instance() {
    return taskId == null ? null : TaskInstanceRow.key(taskId, mapIndex);
  }

  /** The logical date as {@code yyyy-MM-dd} in the DAG's time zone. */
  String ds() {
    return logicalDate.format(DateTimeFormatter.ISO_LOCAL_DATE);
  }
}
