package dev.weir.dsl;

import dev.weir.model.SensorCheck;
import dev.weir.model.TaskAction;
import dev.weir.template.Template;
import dev.weir.template.TemplateException;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.transform.stc.ClosureParams;
import groovy.transform.stc.SimpleType;
import java.util.List;
import java.util.Map;

/** The keywords that declare tasks, shared by {@code dag { … }} and {@code group { … }}. */
public abstract class TaskContainer {
  static final List<String> KEYWORDS =
      List.of(
          "task",
          "bash",
          "empty",
          "branch",
          "shortCircuit",
          "sensor",
          "fileSensor",
          "sqlSensor",
          "httpSensor",
          "externalTaskSensor",
          "dateTimeSensor",
          "triggerDagRun",
          "group",
          "chain",
          "defaults");

  final DslSession session;
  final TaskSettings defaults;
  private final String prefix;

  TaskContainer(DslSession session, TaskSettings defaults, String prefix) {
    this.session = session;
    this.defaults = defaults;
    this.prefix = prefix;
  }

  abstract DagBuilder dagBuilder();

  /** A task that runs Groovy code; the closure gets the run's context and returns the result. */
  public TaskRef task(
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    return task(Map.of(), id, body);
  }

  /** A Groovy task with settings as named arguments: {@code task('x', retries: 2) { ctx -> … }}. */
  public TaskRef task(
      Map<String, ?> settings,
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    if (body == null) {
      throw new DslException("task '" + id + "' needs a closure: task('" + id + "') { ctx -> … }");
    }
    if (body.getMaximumNumberOfParameters() > 1) {
      throw new DslException(
          "the closure of task '" + id + "' takes at most one parameter, the task context");
    }
    TaskSettings own = new TaskSettings(defaults);
    own.apply(settings);
    return declare(id, new TaskAction.Code(body), own);
  }

  /** A task that runs a bash script as a child process. */
  public TaskRef bash(
      String id,
      @DelegatesTo(value = BashSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return bash(Map.of(), id, config);
  }

  /** A bash task configured by named arguments only: {@code bash('x', command: 'ls')}. */
  public TaskRef bash(Map<String, ?> settings, String id) {
    return bash(settings, id, null);
  }

  /** A bash task with named arguments and a configuration block. */
  public TaskRef bash(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = BashSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    BashSettings own = new BashSettings(defaults);
    own.apply(settings);
    configure(own, config, "bash task '" + fullId(id) + "'", own.keywords());
    if (own.command() == null || own.command().isBlank()) {
      throw new DslException(
          "bash task '" + fullId(id) + "' has no command; add command 'echo hello' to its block");
    }
    String label = "bash task '" + fullId(id) + "'";
    checkTemplate(label, "command", own.command());
    own.environment().forEach((name, value) -> checkTemplate(label, "env " + name, value));
    checkTemplate(label, "cwd", own.workingDirectory());
    return declare(
        id,
        new TaskAction.Bash(
            own.command(), own.environment(), own.workingDirectory(), own.pushLastLine()),
        own);
  }

  /**
   * A task that chooses the path: the closure returns the id (or a list of ids) of the directly
   * downstream tasks to run; the others are skipped.
   */
  public TaskRef branch(
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    return branch(Map.of(), id, body);
  }

  /** A branch with settings as named arguments. */
  public TaskRef branch(
      Map<String, ?> settings,
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    return declareCode(settings, id, body, "branch", TaskAction.Branch::new);
  }

  /** A task that lets its downstream run only when the closure returns true (Groovy truth). */
  public TaskRef shortCircuit(
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    return shortCircuit(Map.of(), id, body);
  }

  /** A short circuit with settings as named arguments. */
  public TaskRef shortCircuit(
      Map<String, ?> settings,
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    return declareCode(settings, id, body, "shortCircuit", TaskAction.ShortCircuit::new);
  }

  private TaskRef declareCode(
      Map<String, ?> settings,
      String id,
      Closure<?> body,
      String keyword,
      java.util.function.Function<Closure<?>, TaskAction> action) {
    if (body == null) {
      throw new DslException(
          keyword + " '" + id + "' needs a closure: " + keyword + "('" + id + "') { ctx -> … }");
    }
    if (body.getMaximumNumberOfParameters() > 1) {
      throw new DslException(
          "the closure of " + keyword + " '" + id + "' takes at most one parameter, the context");
    }
    TaskSettings own = new TaskSettings(defaults);
    own.apply(settings);
    return declare(id, action.apply(body), own);
  }

  /** A task that does nothing: a join point or a placeholder. */
  public TaskRef empty(String id) {
    return empty(Map.of(), id, null);
  }

  /** An empty task with settings as named arguments. */
  public TaskRef empty(Map<String, ?> settings, String id) {
    return empty(settings, id, null);
  }

  /**
   * An empty task with a settings block, such as {@code empty('join') { triggerRule 'all_done' }}.
   */
  public TaskRef empty(
      String id,
      @DelegatesTo(value = TaskSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return empty(Map.of(), id, config);
  }

  /** An empty task with named arguments and a settings block. */
  public TaskRef empty(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = TaskSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    TaskSettings own = new TaskSettings(defaults);
    own.apply(settings);
    configure(own, config, "empty task '" + fullId(id) + "'", own.keywords());
    return declare(id, new TaskAction.Empty(), own);
  }

  /**
   * A sensor running Groovy code at each poke: done when the closure's value is Groovy-true; a
   * value other than a boolean becomes the task's result.
   */
  public TaskRef sensor(
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    return sensor(Map.of(), id, body);
  }

  /** A code sensor with settings as named arguments: {@code sensor('x', timeout: 1.hour) {…}}. */
  public TaskRef sensor(
      Map<String, ?> settings,
      String id,
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.TaskContext")
          Closure<?> body) {
    String label = "sensor '" + fullId(id) + "'";
    if (body == null) {
      throw new DslException(label + " needs a closure: sensor('" + id + "') { ctx -> true }");
    }
    if (body.getMaximumNumberOfParameters() > 1) {
      throw new DslException(
          "the closure of " + label + " takes at most one parameter, the task context");
    }
    SensorSettings own = new SensorSettings(defaults);
    configureSensor(own, settings, null, label);
    return declare(id, new TaskAction.Sensor(new SensorCheck.Code(body), own.options()), own);
  }

  /** A sensor that waits for a file, or any file matching a glob, to exist. */
  public TaskRef fileSensor(
      String id,
      @DelegatesTo(value = FileSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return fileSensor(Map.of(), id, config);
  }

  /** A file sensor configured by named arguments only. */
  public TaskRef fileSensor(Map<String, ?> settings, String id) {
    return fileSensor(settings, id, null);
  }

  /** A file sensor with named arguments and a configuration block. */
  public TaskRef fileSensor(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = FileSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "fileSensor '" + fullId(id) + "'";
    FileSensorSettings own = new FileSensorSettings(defaults);
    configureSensor(own, settings, config, label);
    String path = required(label, "path", own.path(), "path '/data/{{ ds }}/*.csv'");
    checkTemplate(label, "path", path);
    checkTemplate(label, "baseDir", own.baseDir());
    if (own.baseDir() == null
        && !Template.isTemplate(path)
        && !java.nio.file.Path.of(path).isAbsolute()) {
      throw new DslException(
          label
              + ": path '"
              + path
              + "' is relative; make it absolute or set baseDir '/data' to resolve it against");
    }
    return declare(
        id, new TaskAction.Sensor(new SensorCheck.File(path, own.baseDir()), own.options()), own);
  }

  /** A sensor that runs a query until its first cell is truthy. */
  public TaskRef sqlSensor(
      String id,
      @DelegatesTo(value = SqlSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return sqlSensor(Map.of(), id, config);
  }

  /** A SQL sensor configured by named arguments only. */
  public TaskRef sqlSensor(Map<String, ?> settings, String id) {
    return sqlSensor(settings, id, null);
  }

  /** A SQL sensor with named arguments and a configuration block. */
  public TaskRef sqlSensor(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = SqlSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "sqlSensor '" + fullId(id) + "'";
    SqlSensorSettings own = new SqlSensorSettings(defaults);
    configureSensor(own, settings, config, label);
    String conn = required(label, "conn", own.conn(), "conn 'warehouse'");
    String query = required(label, "query", own.query(), "query 'select count(*) from t'");
    checkTemplate(label, "query", query);
    for (Object parameter : own.parameterValues()) {
      if (parameter instanceof CharSequence text) {
        checkTemplate(label, "parameters", text.toString());
      }
    }
    return declare(
        id,
        new TaskAction.Sensor(
            new SensorCheck.Sql(conn, query, own.parameterValues()), own.options()),
        own);
  }

  /** A sensor that requests a URL until it answers with the expected status (and body). */
  public TaskRef httpSensor(
      String id,
      @DelegatesTo(value = HttpSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return httpSensor(Map.of(), id, config);
  }

  /** An HTTP sensor configured by named arguments only. */
  public TaskRef httpSensor(Map<String, ?> settings, String id) {
    return httpSensor(settings, id, null);
  }

  /** An HTTP sensor with named arguments and a configuration block. */
  public TaskRef httpSensor(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = HttpSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "httpSensor '" + fullId(id) + "'";
    HttpSensorSettings own = new HttpSensorSettings(defaults);
    configureSensor(own, settings, config, label);
    if ((own.conn() == null) == (own.url() == null)) {
      throw new DslException(
          label
              + " needs either conn 'api' (a connection) or url 'http://host:8080', not "
              + (own.conn() == null ? "neither" : "both"));
    }
    checkTemplate(label, "url", own.url());
    checkTemplate(label, "endpoint", own.endpoint());
    own.headerValues().forEach((name, value) -> checkTemplate(label, "header " + name, value));
    return declare(
        id,
        new TaskAction.Sensor(
            new SensorCheck.Http(
                own.conn(),
                own.url(),
                own.endpoint(),
                own.method(),
                own.headerValues(),
                own.status(),
                own.check()),
            own.options()),
        own);
  }

  /** A sensor that waits for a task (or the whole run) of another DAG to reach a state. */
  public TaskRef externalTaskSensor(
      String id,
      @DelegatesTo(value = ExternalTaskSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return externalTaskSensor(Map.of(), id, config);
  }

  /** An external task sensor configured by named arguments only. */
  public TaskRef externalTaskSensor(Map<String, ?> settings, String id) {
    return externalTaskSensor(settings, id, null);
  }

  /** An external task sensor with named arguments and a configuration block. */
  public TaskRef externalTaskSensor(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = ExternalTaskSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "externalTaskSensor '" + fullId(id) + "'";
    ExternalTaskSensorSettings own = new ExternalTaskSensorSettings(defaults);
    configureSensor(own, settings, config, label);
    String dagId = required(label, "externalDagId", own.dagId(), "externalDagId 'other_dag'");
    List<String> allowed;
    List<String> failed;
    try {
      allowed = own.allowed();
      failed = own.failed();
    } catch (DslException e) {
      throw new DslException(label + ": " + e.getMessage());
    }
    if (allowed.isEmpty()) {
      throw new DslException(label + ": allowedStates must name at least one state");
    }
    List<String> both = allowed.stream().filter(failed::contains).toList();
    if (!both.isEmpty()) {
      throw new DslException(
          label + ": state(s) " + both + " are in both allowedStates and failedStates");
    }
    return declare(
        id,
        new TaskAction.Sensor(
            new SensorCheck.ExternalTask(dagId, own.taskId(), allowed, failed, own.delta()),
            own.options()),
        own);
  }

  /** A sensor that waits until the clock passes a target time. */
  public TaskRef dateTimeSensor(
      String id,
      @DelegatesTo(value = DateTimeSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return dateTimeSensor(Map.of(), id, config);
  }

  /** A date-time sensor configured by named arguments only. */
  public TaskRef dateTimeSensor(Map<String, ?> settings, String id) {
    return dateTimeSensor(settings, id, null);
  }

  /** A date-time sensor with named arguments and a configuration block. */
  public TaskRef dateTimeSensor(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = DateTimeSensorSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "dateTimeSensor '" + fullId(id) + "'";
    DateTimeSensorSettings own = new DateTimeSensorSettings(defaults);
    configureSensor(own, settings, config, label);
    if (own.target() == null && own.afterEnd() == null) {
      throw new DslException(
          label
              + " has no targetTime; add targetTime '{{ data_interval_end }}' or targetTime"
              + " 2.hours (after the data interval's end)");
    }
    checkTemplate(label, "targetTime", own.target());
    return declare(
        id,
        new TaskAction.Sensor(
            new SensorCheck.DateTime(own.target(), own.afterEnd()), own.options()),
        own);
  }

  /** A task that creates a manual run of another DAG, and may wait until it ends. */
  public TaskRef triggerDagRun(
      String id,
      @DelegatesTo(value = TriggerDagRunSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return triggerDagRun(Map.of(), id, config);
  }

  /** A triggerDagRun task configured by named arguments only. */
  public TaskRef triggerDagRun(Map<String, ?> settings, String id) {
    return triggerDagRun(settings, id, null);
  }

  /** A triggerDagRun task with named arguments and a configuration block. */
  public TaskRef triggerDagRun(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = TriggerDagRunSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "triggerDagRun '" + fullId(id) + "'";
    TriggerDagRunSettings own = new TriggerDagRunSettings(defaults);
    configureSensor(own, settings, config, label);
    String dagId = required(label, "dagId", own.dagId(), "dagId 'other_dag'");
    checkTemplate(label, "dagId", dagId);
    checkTemplate(label, "logicalDate", own.logicalDateText());
    checkConfTemplates(label, "conf", own.confValues());
    List<String> allowed;
    List<String> failed;
    try {
      allowed = own.allowed();
      failed = own.failed();
    } catch (DslException e) {
      throw new DslException(label + ": " + e.getMessage());
    }
    return declare(
        id,
        new TaskAction.TriggerDagRun(
            dagId,
            own.confValues(),
            own.logicalDateText(),
            own.waits(),
            allowed,
            failed,
            own.options()),
        own);
  }

  /** Applies a sensor's named arguments and block; a mistake names the sensor. */
  private void configureSensor(
      SensorSettings own, Map<String, ?> settings, Closure<?> config, String label) {
    try {
      own.apply(settings);
      configure(own, config, label, own.keywords());
    } catch (DslException e) {
      if (e.getMessage().startsWith("unknown keyword") || e.getMessage().startsWith(label)) {
        throw e;
      }
      DslException named = new DslException(label + ": " + e.getMessage(), e.line(), e);
      named.setStackTrace(e.getStackTrace()); // keeps the line of the setting, not of the sensor
      throw named;
    }
  }

  private static String required(String label, String field, String value, String example) {
    if (value == null || value.isBlank()) {
      throw new DslException(label + " has no " + field + "; add " + example + " to its block");
    }
    return value;
  }

  private static void checkConfTemplates(String label, String field, Object value) {
    if (value instanceof CharSequence text) {
      checkTemplate(label, field, text.toString());
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> checkConfTemplates(label, field + "." + k, v));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        checkConfTemplates(label, field + "." + i, list.get(i));
      }
    }
  }

  /** A group of tasks whose ids get the prefix {@code id.}; usable on either side of {@code >>}. */
  public GroupRef group(
      String id,
      @DelegatesTo(value = GroupBuilder.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
    String groupId = fullId(Names.requireId("group", id));
    GroupBuilder group =
        new GroupBuilder(session, new TaskSettings(defaults), dagBuilder(), groupId);
    dagBuilder().declareGroup(groupId);
    configure(group, body, "group '" + groupId + "'", GroupBuilder.KEYWORDS);
    return new GroupRef(dagBuilder(), groupId, groupId + ".");
  }

  /** {@code chain(a, b, c)} is {@code a >> b >> c}; neighbouring lists are paired element-wise. */
  public void chain(Object... items) {
    Dependencies.chain(items);
  }

  /** Settings for every task declared in this block (and its groups) that does not set its own. */
  public void defaults(
      @DelegatesTo(value = TaskSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    configure(defaults, config, "defaults", TaskSettings.KEYWORDS);
    if (defaults.ownExpand() != null) {
      throw new DslException("expand cannot be set in defaults; set it on each mapped task");
    }
  }

  /** Templates are rendered at run time, but a broken one is a mistake in the script. */
  private static void checkTemplate(String task, String field, String text) {
    if (text == null || !Template.isTemplate(text)) {
      return;
    }
    try {
      Template.parse(text);
    } catch (TemplateException e) {
      throw new DslException(task + ": template in " + field + ": " + e.getMessage());
    }
  }

  String fullId(String id) {
    return prefix + id;
  }

  private TaskRef declare(String id, TaskAction action, TaskSettings settings) {
    String taskId = fullId(Names.requireId("task", id));
    String group = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
    dagBuilder().declareTask(taskId, group, action, settings, session.currentLine());
    if (settings.ownExpand() instanceof dev.weir.model.MapSource.Upstream upstream) {
      dagBuilder().addDependency(upstream.taskId(), taskId);
    }
    return new TaskRef(dagBuilder(), taskId);
  }

  /** Runs a DSL block with {@code delegate} as its delegate; unknown names reach the script. */
  void configure(Object delegate, Closure<?> block, String description, List<String> keywords) {
    if (block == null) {
      return;
    }
    Closure<?> copy = (Closure<?>) block.clone();
    copy.setResolveStrategy(Closure.DELEGATE_FIRST);
    copy.setDelegate(delegate);
    session.enter(description, keywords);
    try {
      if (copy.getMaximumNumberOfParameters() == 0) {
        copy.call();
      } else {
        copy.call(delegate);
      }
    } catch (MissingMethodException | MissingPropertyException e) {
      throw UnknownNames.explain(e, session).orElseThrow(() -> e);
    } finally {
      session.leave();
      // Closures created in the block (task bodies) keep it as their owner; once the block is
      // done they must no longer reach the builder.
      copy.setDelegate(copy.getOwner());
    }
  }
}
