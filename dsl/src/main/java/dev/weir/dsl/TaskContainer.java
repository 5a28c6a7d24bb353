package dev.weir.dsl;

import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.Operator;
import dev.weir.model.OperatorPlugin;
import dev.weir.model.SensorCheck;
import dev.weir.model.TaskAction;
import dev.weir.schedule.Dataset;
import dev.weir.schedule.ScheduleException;
import dev.weir.template.Template;
import dev.weir.template.TemplateException;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.transform.stc.ClosureParams;
import groovy.transform.stc.SimpleType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
          "sql",
          "sqlToSql",
          "http",
          "python",
          "email",
          "operator",
          "group",
          "chain",
          "defaults",
          "dataset",
          "webhook");

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

  /** A task that runs SQL statements against a database connection. */
  public TaskRef sql(
      String id,
      @DelegatesTo(value = SqlSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return sql(Map.of(), id, config);
  }

  /** A sql task configured by named arguments only. */
  public TaskRef sql(Map<String, ?> settings, String id) {
    return sql(settings, id, null);
  }

  /** A sql task with named arguments and a configuration block. */
  public TaskRef sql(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = SqlSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "sql task '" + fullId(id) + "'";
    SqlSettings own = new SqlSettings(defaults, session);
    own.apply(settings);
    configure(own, config, label, own.keywords());
    require(label, "conn", own.conn(), "conn 'warehouse'");
    if (own.sql().isEmpty()) {
      throw new DslException(
          label + " has no SQL; add statement 'select 1' or file('sql/query.sql') to its block");
    }
    own.sql().templates().forEach(text -> checkTemplate(label, "statement", text));
    return declare(id, new TaskAction.Sql(own.conn(), own.sql().build(), own.maxRows()), own);
  }

  /** A task that copies the rows of a query into a table of another connection, in batches. */
  public TaskRef sqlToSql(
      String id,
      @DelegatesTo(value = SqlToSqlSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return sqlToSql(Map.of(), id, config);
  }

  /** A sqlToSql task configured by named arguments only. */
  public TaskRef sqlToSql(Map<String, ?> settings, String id) {
    return sqlToSql(settings, id, null);
  }

  /** A sqlToSql task with named arguments and a configuration block. */
  public TaskRef sqlToSql(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = SqlToSqlSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "sqlToSql task '" + fullId(id) + "'";
    SqlToSqlSettings own = new SqlToSqlSettings(defaults, session);
    own.apply(settings);
    configure(own, config, label, own.keywords());
    require(label, "source", own.source(), "source 'pg'");
    require(label, "target", own.target(), "target 'warehouse'");
    require(label, "table", own.table(), "table 'sales'");
    if (!own.table().matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?")) {
      throw new DslException(
          label + ": table '" + own.table() + "' must be a name such as sales or staging.sales");
    }
    if (own.query().isEmpty()) {
      throw new DslException(
          label + " has no query; add query 'select …' or file('sql/extract.sql') to its block");
    }
    own.query().templates().forEach(text -> checkTemplate(label, "query", text));
    checkTemplate(label, "preSql", own.preSql());
    return declare(
        id,
        new TaskAction.SqlToSql(
            own.source(),
            own.query().build(),
            own.target(),
            own.table(),
            own.batchSize(),
            own.preSql()),
        own);
  }

  /** A task that sends an HTTP request; the response is its result. */
  public TaskRef http(
      String id,
      @DelegatesTo(value = HttpSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return http(Map.of(), id, config);
  }

  /** An http task configured by named arguments only. */
  public TaskRef http(Map<String, ?> settings, String id) {
    return http(settings, id, null);
  }

  /** An http task with named arguments and a configuration block. */
  public TaskRef http(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = HttpSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "http task '" + fullId(id) + "'";
    HttpSettings own = new HttpSettings(defaults);
    own.apply(settings);
    configure(own, config, label, own.keywords());
    if ((own.conn() == null) == (own.url() == null)) {
      throw new DslException(
          label
              + " needs either conn 'api' (a connection with the base URL) or url 'https://…',"
              + (own.conn() == null ? " and has neither" : " not both"));
    }
    checkTemplate(label, "url", own.url());
    checkTemplate(label, "endpoint", own.endpoint());
    checkTemplate(label, "body", own.body());
    own.headers().forEach((name, value) -> checkTemplate(label, "header " + name, value));
    jsonStrings(own.json()).forEach(text -> checkTemplate(label, "json", text));
    return declare(
        id,
        new TaskAction.Http(
            own.conn(),
            own.url(),
            own.method(),
            own.endpoint(),
            own.headers(),
            own.body(),
            own.json(),
            own.expectStatus(),
            own.responseAs(),
            own.timeout(),
            own.maxResponseBytes()),
        own);
  }

  /** A task that runs a Python script or module as a child process. */
  public TaskRef python(
      String id,
      @DelegatesTo(value = PythonSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return python(Map.of(), id, config);
  }

  /** A python task configured by named arguments only. */
  public TaskRef python(Map<String, ?> settings, String id) {
    return python(settings, id, null);
  }

  /** A python task with named arguments and a configuration block. */
  public TaskRef python(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = PythonSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "python task '" + fullId(id) + "'";
    PythonSettings own = new PythonSettings(defaults);
    own.apply(settings);
    configure(own, config, label, own.keywords());
    if ((own.script() == null) == (own.module() == null)) {
      throw new DslException(
          label
              + " needs either script 'train.py' or module 'pkg.train',"
              + (own.script() == null ? " and has neither" : " not both"));
    }
    if (own.interpreter() != null && own.venv() != null) {
      throw new DslException(label + " takes interpreter or venv, not both");
    }
    String script = null;
    if (own.script() != null) {
      Path path = Path.of(own.script());
      if (!path.isAbsolute()) {
        path = session.dagsFolder().resolve(path).normalize();
        if (!Files.isRegularFile(path)) {
          throw new DslException(
              label
                  + ": script '"
                  + own.script()
                  + "' not found (looked for "
                  + path
                  + "; a relative script is in the DAGs folder)");
        }
      }
      script = path.toString();
    }
    String interpreter =
        own.venv() != null
            ? Path.of(own.venv()).resolve("bin").resolve("python").toString()
            : own.interpreter() != null ? own.interpreter() : PythonSettings.DEFAULT_INTERPRETER;
    own.args().forEach(arg -> checkTemplate(label, "args", arg));
    own.environment().forEach((name, value) -> checkTemplate(label, "env " + name, value));
    checkTemplate(label, "cwd", own.workingDirectory());
    return declare(
        id,
        new TaskAction.Python(
            script,
            own.module(),
            own.args(),
            interpreter,
            own.environment(),
            own.workingDirectory(),
            session.dagsFolder().toString(),
            own.returnLastLine()),
        own);
  }

  /** A task that sends an email through an SMTP connection. */
  public TaskRef email(
      String id,
      @DelegatesTo(value = EmailSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    return email(Map.of(), id, config);
  }

  /** An email task configured by named arguments only. */
  public TaskRef email(Map<String, ?> settings, String id) {
    return email(settings, id, null);
  }

  /** An email task with named arguments and a configuration block. */
  public TaskRef email(
      Map<String, ?> settings,
      String id,
      @DelegatesTo(value = EmailSettings.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> config) {
    String label = "email task '" + fullId(id) + "'";
    EmailSettings own = new EmailSettings(defaults);
    own.apply(settings);
    configure(own, config, label, own.keywords());
    require(label, "conn", own.conn(), "conn 'smtp'");
    if (own.to().isEmpty() && own.cc().isEmpty() && own.bcc().isEmpty()) {
      throw new DslException(label + " has no recipient; add to 'someone@example.org'");
    }
    require(label, "subject", own.subject(), "subject 'Report of {{ ds }}'");
    for (List<String> list : List.of(own.to(), own.cc(), own.bcc())) {
      list.forEach(address -> checkTemplate(label, "address", address));
    }
    checkTemplate(label, "from", own.from());
    checkTemplate(label, "subject", own.subject());
    checkTemplate(label, "body", own.body());
    return declare(
        id,
        new TaskAction.Email(
            own.conn(),
            own.to(),
            own.cc(),
            own.bcc(),
            own.from(),
            own.subject(),
            own.body() == null ? "" : own.body(),
            own.html()),
        own);
  }

  /**
   * A notifier that sends an email, for {@code onFailure} and the other callback settings: {@code
   * email(to: 'a@x.io', subject: '…', conn: 'smtp')}. With an id, {@code email('id') { … }}
   * declares an email task instead.
   */
  public Callback.Email email(Map<String, ?> named) {
    return Notifiers.email(named);
  }

  /** {@code email 'a@x.io'} here: explains where alert recipients and email tasks go. */
  public void email(Object value) {
    throw new DslException(
        "email "
            + (value instanceof CharSequence ? "'" + value + "'" : Names.describe(value))
            + " in "
            + where()
            + ": to email someone when tasks fail, write defaults { email 'oncall@example.org' }"
            + " or set email on a task; to declare an email task, write email('id') { conn"
            + " 'smtp'; to '…'; subject '…' }");
  }

  /** A notifier that posts to a webhook: {@code webhook(conn: 'slack')} or {@code url: '…'}. */
  public Callback.Webhook webhook(Map<String, ?> named) {
    return Notifiers.webhook(named);
  }

  /** In a DAG block: runs when a run of the DAG succeeds. */
  public void onSuccess(
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.CallbackContext")
          Closure<?> callback) {
    runCallbacks(CallbackEvent.RUN_SUCCESS, callback);
  }

  /** In a DAG block: {@code onSuccess email(to: …), webhook(…)}, or a list of callbacks. */
  public void onSuccess(Object... callbacks) {
    runCallbacks(CallbackEvent.RUN_SUCCESS, callbacks);
  }

  /** In a DAG block: runs when a run of the DAG fails. */
  public void onFailure(
      @ClosureParams(value = SimpleType.class, options = "dev.weir.model.CallbackContext")
          Closure<?> callback) {
    runCallbacks(CallbackEvent.RUN_FAILURE, callback);
  }

  /** In a DAG block: {@code onFailure email(to: …), webhook(…)}, or a list of callbacks. */
  public void onFailure(Object... callbacks) {
    runCallbacks(CallbackEvent.RUN_FAILURE, callbacks);
  }

  /** A task setting: refused here with where it belongs. */
  public void onRetry(Object... callbacks) {
    throw taskLevelOnly("onRetry", "is retried");
  }

  /** A task setting: refused here with where it belongs. */
  public void onSkipped(Object... callbacks) {
    throw taskLevelOnly("onSkipped", "skips itself");
  }

  /** Sets callbacks of the DAG's runs; a group has none. */
  abstract void runCallbacks(CallbackEvent event, Object... values);

  /** How this block is named in messages: {@code dag 'x'} or {@code group 'g'}. */
  abstract String where();

  DslException taskLevelOnly(String setting, String when) {
    return new DslException(
        setting
            + " in "
            + where()
            + " is a task setting (it runs when a task "
            + when
            + "): put it in defaults { "
            + setting
            + " … } for every task here, or on a task");
  }

  /**
   * A task run by an operator of your own, such as a class of {@code dags/lib/}: {@code
   * operator('greet', new GreetOperator(name: 'Ada'))}.
   */
  public TaskRef operator(String id, Operator operator) {
    return operator(Map.of(), id, operator);
  }

  /** An operator task with task settings as named arguments. */
  public TaskRef operator(Map<String, ?> settings, String id, Operator operator) {
    String label = "operator task '" + fullId(id) + "'";
    if (operator == null) {
      throw new DslException(label + " needs an operator, got null");
    }
    TaskSettings own = new TaskSettings(defaults);
    own.apply(settings);
    return declare(id, new TaskAction.Custom(operator, operator.getClass().getName()), own);
  }

  /** A task run by the operator plugin of this name, without settings. */
  public TaskRef operator(String id, String plugin) {
    return operator(Map.of(), id, plugin);
  }

  /**
   * A task run by an operator plugin from the plugins folder: {@code operator('notify', 'slack',
   * channel: '#data', retries: 2)}. Task settings among the named arguments (retries, pool, …) are
   * the task's; the others go to the plugin.
   */
  public TaskRef operator(Map<String, ?> settings, String id, String plugin) {
    String label = "operator task '" + fullId(id) + "'";
    Map<String, OperatorPlugin> plugins = session.operatorPlugins();
    OperatorPlugin found = plugins.get(plugin);
    if (found == null) {
      throw new DslException(
          label
              + ": unknown operator plugin '"
              + plugin
              + "'"
              + Names.didYouMean(plugin, plugins.keySet())
              + (plugins.isEmpty()
                  ? " (no plugins are installed; put plugin jars in the plugins folder,"
                      + " WEIR_HOME/plugins by default)"
                  : " (plugins: " + String.join(", ", plugins.keySet()) + ")"));
    }
    TaskSettings own = new TaskSettings(defaults);
    Map<String, Object> pluginSettings = new LinkedHashMap<>();
    settings.forEach(
        (name, value) -> {
          if (TaskSettings.KEYWORDS.contains(name)) {
            own.set(name, value);
          } else {
            pluginSettings.put(name, value instanceof CharSequence s ? s.toString() : value);
          }
        });
    Operator operator;
    try {
      operator = found.create(Collections.unmodifiableMap(pluginSettings));
    } catch (IllegalArgumentException e) {
      throw new DslException(label + ": plugin '" + plugin + "': " + e.getMessage());
    }
    if (operator == null) {
      throw new DslException(label + ": plugin '" + plugin + "' made no operator");
    }
    return declare(id, new TaskAction.Custom(operator, plugin), own);
  }

  private static void require(String task, String field, String value, String example) {
    if (value == null || value.isBlank()) {
      throw new DslException(task + " has no " + field + "; add " + example + " to its block");
    }
  }

  /** The strings in a JSON body, which are templates. */
  private static List<String> jsonStrings(Object json) {
    List<String> found = new java.util.ArrayList<>();
    if (json instanceof String s) {
      found.add(s);
    } else if (json instanceof Map<?, ?> map) {
      map.values().forEach(v -> found.addAll(jsonStrings(v)));
    } else if (json instanceof List<?> list) {
      list.forEach(v -> found.addAll(jsonStrings(v)));
    }
    return found;
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
    if (defaults.ownOutlets() != null) {
      throw new DslException(
          "outlets cannot be set in defaults: an outlet belongs to the task that writes the"
              + " dataset, so set it on that task (task('x', outlets: dataset('…')) or in its"
              + " block)");
    }
  }

  /**
   * A dataset named by its URI, such as {@code dataset('file:///data/sales.csv')}: for a task's
   * {@code outlets}.
   */
  public DatasetRef dataset(Object uri) {
    return datasetRef(uri);
  }

  static DatasetRef datasetRef(Object uri) {
    if (!(uri instanceof CharSequence text)) {
      throw new DslException(
          "dataset takes a URI string such as 'file:///data/sales.csv', got "
              + Names.describe(uri));
    }
    return new DatasetRef(text.toString());
  }

  /** Checks a task's outlets and turns them into datasets, with errors naming the task. */
  private List<Dataset> outlets(String taskId, TaskSettings settings) {
    List<Object> raw = settings.ownOutlets();
    if (raw == null) {
      return List.of();
    }
    String where = "task '" + taskId + "' of dag '" + dagBuilder().id() + "'";
    Set<Dataset> datasets = new LinkedHashSet<>();
    for (Object value : raw) {
      String uri;
      if (value instanceof DatasetRef ref) {
        uri = ref.uri();
      } else if (value instanceof CharSequence text) {
        uri = text.toString();
      } else {
        throw new DslException(
            where
                + ": outlets takes dataset('uri') values, such as outlets"
                + " dataset('file:///data/sales.csv'), got "
                + Names.describe(value));
      }
      try {
        datasets.add(new Dataset(uri));
      } catch (ScheduleException e) {
        throw new DslException(where + ": outlet " + e.getMessage());
      }
    }
    return new ArrayList<>(datasets);
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
    dagBuilder()
        .declareTask(
            taskId, group, action, settings, outlets(taskId, settings), session.currentLine());
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
