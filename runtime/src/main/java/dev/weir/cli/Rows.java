package dev.weir.cli;

import dev.weir.run.Dates;
import dev.weir.run.Durations;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How runs and task instances of the store print, as table rows and as JSON. */
final class Rows {
  private Rows() {}

  static final List<String> RUN_HEADER =
      List.of("RUN_ID", "TYPE", "STATE", "LOGICAL_DATE", "START", "END", "DURATION", "DEADLINE");

  static final List<String> INSTANCE_HEADER =
      List.of("TASK_ID", "STATE", "TRY", "START", "END", "DURATION");

  /** ISO-8601 in UTC with seconds, as Weir writes dates; empty for null. */
  static String time(Instant instant) {
    return instant == null ? "" : Dates.iso(instant, ZoneOffset.UTC);
  }

  static String jsonTime(Instant instant) {
    return instant == null ? null : Dates.iso(instant, ZoneOffset.UTC);
  }

  static List<String> row(DagRunRow run) {
    return List.of(
        run.runId(),
        run.type().label(),
        run.state().label(),
        time(run.logicalDate()),
        time(run.startDate()),
        time(run.endDate()),
        Durations.format(duration(run.startDate(), run.endDate())),
        run.missedDeadline() ? "missed " + time(run.deadlineAt()) : "");
  }

  static Map<String, Object> json(DagRunRow run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dagId", run.dagId());
    json.put("runId", run.runId());
    json.put("type", run.type().label());
    json.put("state", run.state().label());
    json.put("logicalDate", jsonTime(run.logicalDate()));
    json.put("dataIntervalStart", jsonTime(run.intervalStart()));
    json.put("dataIntervalEnd", jsonTime(run.intervalEnd()));
    json.put("queuedAt", jsonTime(run.queuedAt()));
    json.put("start", jsonTime(run.startDate()));
    json.put("end", jsonTime(run.endDate()));
    json.put("conf", conf(run.conf()));
    json.put("versionId", run.versionId());
    json.put("backfillId", run.backfillId());
    json.put("deadlineMissed", run.missedDeadline());
    json.put("deadlineAt", jsonTime(run.deadlineAt()));
    json.put("deadlineMissedAt", jsonTime(run.deadlineMissedAt()));
    return json;
  }

  static List<String> row(TaskInstanceRow ti) {
    return List.of(
        ti.key(),
        ti.state().label(),
        Integer.toString(ti.tryNumber()),
        time(ti.startDate()),
        time(ti.endDate()),
        Durations.format(duration(ti.startDate(), ti.endDate())));
  }

  static Map<String, Object> json(TaskInstanceRow ti) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("taskId", ti.taskId());
    if (ti.mapIndex() >= 0) {
      json.put("mapIndex", ti.mapIndex());
    }
    json.put("state", ti.state().label());
    json.put("tryNumber", ti.tryNumber());
    json.put("maxTries", ti.maxTries());
    json.put("start", jsonTime(ti.startDate()));
    json.put("end", jsonTime(ti.endDate()));
    Duration duration = duration(ti.startDate(), ti.endDate());
    json.put("durationMs", duration == null ? null : duration.toMillis());
    json.put("nextTryAt", jsonTime(ti.nextTryAt()));
    json.put("error", ti.error());
    return json;
  }

  private static Object conf(String conf) {
    if (conf == null || conf.isBlank()) {
      return Map.of();
    }
    try {
      return Output.mapper().readTree(conf);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return conf;
    }
  }

  private static Duration duration(Instant start, Instant end) {
    return start == null || end == null ? null : Duration.between(start, end);
  }
}
