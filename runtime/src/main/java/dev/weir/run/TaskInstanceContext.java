package dev.weir.run;

import dev.weir.model.TaskContext;
import dev.weir.model.TaskLogger;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The context of one try of one task: what {@code ctx} is inside a task closure. */
public final class TaskInstanceContext implements TaskContext {
  private final RunContext run;
  private final String taskId;
  private final int tryNumber;
  private final TaskLogger log;
  private final Map<String, Object> params;

  public TaskInstanceContext(RunContext run, String taskId, int tryNumber, TaskLogger log) {
    this.run = run;
    this.taskId = taskId;
    this.tryNumber = tryNumber;
    this.log = log;
    this.params = Collections.unmodifiableMap(run.params());
  }

  @Override
  public String getDs() {
    return getLogicalDate().toLocalDate().toString();
  }

  @Override
  public ZonedDateTime getLogicalDate() {
    return run.logicalDate();
  }

  @Override
  public ZonedDateTime getDataIntervalStart() {
    return run.interval().start().atZone(run.dag().timezone());
  }

  @Override
  public ZonedDateTime getDataIntervalEnd() {
    return run.interval().end().atZone(run.dag().timezone());
  }

  @Override
  public String getRunId() {
    return run.runId();
  }

  @Override
  public String getDagId() {
    return run.dag().id();
  }

  @Override
  public String getTaskId() {
    return taskId;
  }

  @Override
  public int getTryNumber() {
    return tryNumber;
  }

  @Override
  public Map<String, Object> getParams() {
    return params;
  }

  @Override
  public Map<String, Object> getConf() {
    return run.conf();
  }

  @Override
  public TaskLogger getLog() {
    return log;
  }

  /**
   * The variables templates can use. Names follow Airflow's ({@code ds}, {@code ts}, {@code
   * data_interval_start}, …) and dates are in the DAG's time zone.
   */
  public Map<String, Object> templateVariables() {
    ZonedDateTime logical = getLogicalDate();
    String ts = Dates.iso(logical);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("ds", getDs());
    vars.put("ds_nodash", getDs().replace("-", ""));
    vars.put("ts", ts);
    vars.put("ts_nodash", logical.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")));
    vars.put("logical_date", ts);
    vars.put("data_interval_start", Dates.iso(getDataIntervalStart()));
    vars.put("data_interval_end", Dates.iso(getDataIntervalEnd()));
    vars.put("run_id", getRunId());
    vars.put("dag_id", getDagId());
    vars.put("task_id", taskId);
    vars.put("try_number", tryNumber);
    vars.put("params", params);
    vars.put("conf", getConf());
    return vars;
  }

  /** Environment variables a bash task gets, so scripts need no templates for the basics. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WEIR_DAG_ID", getDagId());
    env.put("WEIR_TASK_ID", taskId);
    env.put("WEIR_RUN_ID", getRunId());
    env.put("WEIR_TRY_NUMBER", Integer.toString(tryNumber));
    env.put("WEIR_DS", getDs());
    env.put("WEIR_LOGICAL_DATE", Dates.iso(getLogicalDate()));
    env.put("WEIR_DATA_INTERVAL_START", Dates.iso(getDataIntervalStart()));
    env.put("WEIR_DATA_INTERVAL_END", Dates.iso(getDataIntervalEnd()));
    return env;
  }
}
