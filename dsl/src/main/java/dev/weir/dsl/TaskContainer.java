package dev.weir.dsl;

import dev.weir.model.Operator;
import dev.weir.model.OperatorPlugin;
import dev.weir.model.TaskAction;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keywords that declare tasks, shared by {@code dag { … }} and {@code group { … }}. */
public abstract class TaskContainer {
  static final List<String> KEYWORDS =
      List.of(
          "task",
          "bash",
          "empty",
          "sql",
          "sqlToSql",
          "http",
          "python",
          "email",
          "operator",
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
        id, new TaskAction.Bash(own.command(), own.environment(), own.workingDirectory()), own);
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
