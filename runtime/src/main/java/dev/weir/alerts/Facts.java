package dev.weir.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.executor.TaskLog;
import dev.weir.model.CallbackEvent;
import dev.weir.model.DagSpec;
import dev.weir.run.RunContext;
import dev.weir.schedule.DataInterval;
import dev.weir.state.TaskState;
import dev.weir.store.AlertRow;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resolves an outbox row into the {@link EventFacts} its messages and callbacks are made of. */
final class Facts {
  private static final Logger log = LoggerFactory.getLogger(Facts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AlertSettings settings;
  private final Path logsFolder;
  private final UnaryOperator<String> mask;

  Facts(AlertSettings settings, Path logsFolder, UnaryOperator<String> mask) {
    this.settings = settings;
    this.logsFolder = logsFolder;
    this.mask = mask;
  }

  /**
   * @param instances the run's task instances, read only for a run failure
   */
  EventFacts of(
      AlertRow row, DagRunRow run, DagSpec dag, Supplier<List<TaskInstanceRow>> instances) {
    CallbackEvent event = row.event();
    Map<String, Object> conf = conf(row, run.conf());
    RunContext context =
        new RunContext(
            dag, run.runId(), new DataInterval(run.intervalStart(), run.intervalEnd()), conf);
    String runUrl = runUrl(run.dagId(), run.runId());
    String taskId = event.taskLevel() ? row.taskId() : null;
    List<String> logLines = taskId == null ? List.of() : logLines(row);
    List<String> failed =
        event == CallbackEvent.RUN_FAILURE
            ? instances.get().stream()
                .filter(ti -> ti.state() == TaskState.FAILED)
                .map(TaskInstanceRow::key)
                .toList()
            : List.of();
    // The scheduler records the due time in the batch that writes a deadline_missed row.
    Instant deadline = event == CallbackEvent.DEADLINE_MISSED ? run.deadlineAt() : null;
    return new EventFacts(
        row.id(),
        row.runPk(),
        event,
        run.dagId(),
        run.runId(),
        taskId,
        taskId == null ? -1 : row.mapIndex(),
        taskId == null ? 0 : row.tryNumber(),
        state(event, run),
        row.error() == null || row.error().isBlank() ? null : mask.apply(row.error()),
        logLines,
        taskId == null
            ? runUrl
            : taskUrl(run.dagId(), run.runId(), taskId, row.mapIndex(), row.tryNumber()),
        runUrl,
        run.logicalDate().atZone(dag.timezone()),
        run.intervalStart().atZone(dag.timezone()),
        run.intervalEnd().atZone(dag.timezone()),
        conf,
        context.params(),
        failed,
        deadline);
  }

  private static String state(CallbackEvent event, DagRunRow run) {
    return switch (event) {
      case TASK_SUCCESS, RUN_SUCCESS -> "success";
      case TASK_FAILURE, RUN_FAILURE -> "failed";
      case TASK_RETRY -> TaskState.UP_FOR_RETRY.label();
      case TASK_SKIPPED -> TaskState.SKIPPED.label();
      case DEADLINE_MISSED -> run.state().label();
    };
  }

  private List<String> logLines(AlertRow row) {
    if (row.tryNumber() < 1) {
      return List.of();
    }
    try {
      Path file =
          TaskLog.path(
              logsFolder, row.dagId(), row.runId(), row.taskId(), row.mapIndex(), row.tryNumber());
      return LogTail.read(file, settings.logLines()).stream().map(mask).toList();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Cannot read the log of {}.{} try {} in run {} for its alert; sending it without log"
              + " lines: {}",
          row.dagId(),
          TaskInstanceRow.key(row.taskId(), row.mapIndex()),
          row.tryNumber(),
          row.runId(),
          e.toString());
      return List.of();
    }
  }

  private static Map<String, Object> conf(AlertRow row, String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      Map<String, Object> conf = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
      return conf == null ? Map.of() : new LinkedHashMap<>(conf);
    } catch (IOException e) {
      log.warn(
          "The conf of run {} of DAG {} is not a JSON object; callbacks see an empty conf: {}",
          row.runId(),
          row.dagId(),
          e.getMessage());
      return Map.of();
    }
  }

  /** The task instance page, with the try: {@code /dags/d/runs/r/tasks/t?map_index=2&try=3}. */
  String taskUrl(String dagId, String runId, String taskId, int mapIndex, int tryNumber) {
    StringBuilder url =
        new StringBuilder(settings.baseUrl())
            .append("/dags/")
            .append(encode(dagId))
            .append("/runs/")
            .append(encode(runId))
            .append("/tasks/")
            .append(encode(taskId));
    String separator = "?";
    if (mapIndex >= 0) {
      url.append("?map_index=").append(mapIndex);
      separator = "&";
    }
    if (tryNumber > 0) {
      url.append(separator).append("try=").append(tryNumber);
    }
    return url.toString();
  }

  /** The run as the UI shows one: the DAG's graph with the run selected. */
  String runUrl(String dagId, String runId) {
    return settings.baseUrl() + "/dags/" + encode(dagId) + "/graph?run_id=" + encode(runId);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
