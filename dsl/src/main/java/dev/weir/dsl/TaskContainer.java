package dev.weir.dsl;

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
import java.util.ArrayList;
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
          "group",
          "chain",
          "defaults",
          "dataset");

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
