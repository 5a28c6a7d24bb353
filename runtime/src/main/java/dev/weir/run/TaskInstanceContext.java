package dev.weir.run;

import dev.weir.model.Connection;
import dev.weir.model.TaskContext;
import dev.weir.model.TaskLogger;
import dev.weir.model.XCom;
import dev.weir.secrets.Secrets;
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
  private final int mapIndex;
  private final Object item;
  private final TaskLogger log;
  private final TaskServices services;
  private final TaskXCom xcom;
  private final Map<String, Object> params;
  private final java.time.Instant firstStartedAt;

  public TaskInstanceContext(
      TaskAttempt attempt, Object item, TaskLogger log, TaskServices services, TaskXCom xcom) {
    this.run = attempt.run();
    this.taskId = attempt.task().id();
    this.tryNumber = attempt.tryNumber();
    this.mapIndex = attempt.mapIndex();
    this.item = item;
    this.log = log;
    this.services = services;
    this.xcom = xcom;
    this.params = Collections.unmodifiableMap(run.params());
    this.firstStartedAt = attempt.firstStartedAt();
  }

  /** When the instance's first try started, or null when this try is the first (for sensors). */
  public java.time.Instant firstStartedAt() {
    return firstStartedAt;
  }

  /** The run this try belongs to. */
  public RunContext run() {
    return run;
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

  @Override
  public XCom getXcom() {
    return xcom;
  }

  @Override
  public Connection connection(String id) {
    return services.connection(id);
  }

  @Override
  public String variable(String key) {
    return services.variable(key).orElseThrow(() -> Secrets.noVariable(key));
  }

  @Override
  public String variable(String key, String defaultValue) {
    return services.variable(key).orElse(defaultValue);
  }

  @Override
  public int getMapIndex() {
    return mapIndex;
  }

  @Override
  public Object getItem() {
    return item;
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
    vars.put("map_index", mapIndex);
    if (mapIndex >= 0) {
      vars.put("item", item);
    }
    vars.put("xcom", new LazyMap(run.dag().tasks().keySet(), xcom::pull));
    vars.put("var", Map.of("value", new LazyMap(null, this::variable)));
    vars.put("conn", new LazyMap(null, this::connection));
    return vars;
  }

  /**
   * A read-only map whose values are looked up when a template asks for them: XComs, variables and
   * connections are read only if the template uses them.
   */
  private static final class LazyMap extends java.util.AbstractMap<String, Object> {
    private final java.util.Set<String> keys;
    private final java.util.function.Function<String, Object> lookup;

    LazyMap(java.util.Set<String> keys, java.util.function.Function<String, Object> lookup) {
      this.keys = keys;
      this.lookup = lookup;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String && (keys == null || keys.contains(key));
    }

    @Override
    public Object get(Object key) {
      return containsKey(key) ? lookup.apply((String) key) : null;
    }

    @Override
    public java.util.Set<Entry<String, Object>> entrySet() {
      // Listing is for error messages only; values are not read.
      java.util.Set<Entry<String, Object>> entries = new java.util.LinkedHashSet<>();
      if (keys != null) {
        keys.forEach(k -> entries.add(new SimpleImmutableEntry<>(k, null)));
      }
      return entries;
    }
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
    if (mapIndex >= 0) {
      env.put("WEIR_MAP_INDEX", Integer.toString(mapIndex));
    }
    return env;
  }
}
