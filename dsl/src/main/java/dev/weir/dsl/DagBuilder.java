package dev.weir.dsl;

import dev.weir.model.Callback;
import dev.weir.model.CallbackEvent;
import dev.weir.model.Callbacks;
import dev.weir.model.DagSpec;
import dev.weir.model.Deadline;
import dev.weir.model.ScriptSource;
import dev.weir.model.TaskAction;
import dev.weir.model.TaskSpec;
import dev.weir.schedule.Dataset;
import dev.weir.schedule.DatasetSchedule;
import dev.weir.schedule.Schedule;
import dev.weir.schedule.ScheduleException;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.BFSShortestPath;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/** The delegate of {@code dag('id') { … }}: DAG settings and the tasks of the DAG. */
public final class DagBuilder extends TaskContainer {
  static final List<String> KEYWORDS =
      Stream.concat(
              Stream.of(
                  "description",
                  "doc",
                  "schedule",
                  "timezone",
                  "startDate",
                  "endDate",
                  "catchup",
                  "maxActiveRuns",
                  "maxActiveTasks",
                  "pausedAtCreation",
                  "tags",
                  "params",
                  "every",
                  "none",
                  "datasets",
                  "onSuccess",
                  "onFailure",
                  "onRetry",
                  "onSkipped",
                  "deadline"),
              TaskContainer.KEYWORDS.stream())
          .toList();

  private final String id;
  private final int line;
  private final DagSpec.Builder spec;
  private final Map<String, Draft> tasks = new LinkedHashMap<>();
  private final Set<String> groups = new HashSet<>();
  private final DirectedAcyclicGraph<String, DefaultEdge> graph =
      new DirectedAcyclicGraph<>(DefaultEdge.class);
  private Schedule schedule = Schedule.none();
  private boolean scheduleSet;
  private ZoneId timezone = ZoneId.of("UTC");
  private Function<ZoneId, Instant> startDate;
  private Function<ZoneId, Instant> endDate;
  private final Map<CallbackEvent, List<Callback>> runCallbacks =
      new EnumMap<>(CallbackEvent.class);
  private Deadline deadline;
  private int deadlineLine;
  private boolean closed;
  private DagSpec built;

  private record Draft(
      String id,
      String group,
      TaskAction action,
      TaskSettings settings,
      List<Dataset> outlets,
      int line) {}

  DagBuilder(DslSession session, String id, int line) {
    super(session, new TaskSettings(null), "");
    this.id = id;
    this.line = line;
    this.spec = DagSpec.builder(id);
  }

  /** The DAG id. */
  public String id() {
    return id;
  }

  int line() {
    return line;
  }

  List<String> taskIds() {
    return new ArrayList<>(tasks.keySet());
  }

  @Override
  DagBuilder dagBuilder() {
    return this;
  }

  /** A one-line description. */
  public void description(Object value) {
    open();
    spec.description(TaskSettings.text("description", value));
  }

  /** Markdown documentation of the DAG. */
  public void doc(Object value) {
    open();
    spec.doc(TaskSettings.text("doc", value));
  }

  /**
   * When runs happen: a 5-field cron ({@code '0 3 * * *'}), a preset ({@code '@daily'}), {@code
   * every(6.hours)}, or {@code none()} for manual runs only.
   */
  public void schedule(Object value) {
    open();
    Schedule next;
    if (value instanceof Schedule s) {
      next = s;
    } else if (value instanceof CharSequence text) {
      try {
        next = Schedule.parse(text.toString());
      } catch (ScheduleException e) {
        throw new DslException(e.getMessage());
      }
    } else if (value == null) {
      next = Schedule.none();
    } else if (value instanceof DatasetRef ref) {
      throw new DslException(
          "dag '"
              + id
              + "': schedule takes datasets('"
              + ref.uri()
              + "', …) to run when datasets are updated, not dataset(…)");
    } else {
      throw new DslException(
          "schedule takes a cron string, a preset such as '@daily', every(…), none() or"
              + " datasets(…), got "
              + Names.describe(value));
    }
    if (scheduleSet && mixesTimeAndDatasets(schedule, next)) {
      throw combined(schedule, next);
    }
    schedule = next;
    scheduleSet = true;
  }

  /** {@code schedule '@daily', datasets('a')}: refused with the reason. */
  public void schedule(Object first, Object second, Object... more) {
    schedule(first);
    if (second instanceof Schedule s && mixesTimeAndDatasets(schedule, s)) {
      throw combined(schedule, s);
    }
    throw new DslException(
        "dag '"
            + id
            + "': schedule takes one value; to run on several datasets write schedule"
            + " datasets('a', 'b')");
  }

  private static boolean mixesTimeAndDatasets(Schedule a, Schedule b) {
    return (a instanceof DatasetSchedule && b.timeBased())
        || (b instanceof DatasetSchedule && a.timeBased());
  }

  private DslException combined(Schedule a, Schedule b) {
    return new DslException(
        "dag '"
            + id
            + "' cannot combine schedule '"
            + a.describe()
            + "' with '"
            + b.describe()
            + "': a DAG runs either on a time schedule or on datasets, not both (combining"
            + " them is not supported yet)");
  }

  /**
   * A data-aware schedule: the DAG runs once each of these datasets was updated (by a task that
   * lists it in its {@code outlets}) since its last dataset-triggered run.
   */
  public Schedule datasets(Object... uris) {
    List<Dataset> datasets = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Object value : uris) {
      if (value instanceof Collection<?> many) {
        values.addAll(many);
      } else {
        values.add(value);
      }
    }
    String where = "dag '" + id + "': schedule datasets(…)";
    if (values.isEmpty()) {
      throw new DslException(
          where + " needs at least one dataset URI, such as datasets('file:///data/sales.csv')");
    }
    for (Object value : values) {
      String uri;
      if (value instanceof DatasetRef ref) {
        uri = ref.uri();
      } else if (value instanceof CharSequence text) {
        uri = text.toString();
      } else {
        throw new DslException(where + " takes dataset URI strings, got " + Names.describe(value));
      }
      try {
        datasets.add(new Dataset(uri));
      } catch (ScheduleException e) {
        throw new DslException(where + ": " + e.getMessage());
      }
    }
    return Schedule.datasets(datasets);
  }

  /** A schedule of fixed real-time intervals anchored at the start date. */
  public Schedule every(Object interval) {
    Duration delta = TaskSettings.duration("every", interval);
    try {
      return Schedule.every(delta);
    } catch (ScheduleException e) {
      throw new DslException(e.getMessage());
    }
  }

  /** No schedule: the DAG runs only when triggered. */
  public Schedule none() {
    return Schedule.none();
  }

  /** The IANA time zone the schedule and dates are read in, such as {@code 'Europe/Berlin'}. */
  public void timezone(Object value) {
    open();
    String name = TaskSettings.text("timezone", value);
    try {
      timezone = ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new DslException(
          "unknown time zone '"
              + name
              + "'"
              + Names.didYouMean(name, ZoneId.getAvailableZoneIds()));
    }
  }

  /** The first logical date: {@code '2025-01-01'}, a local date-time, or one with an offset. */
  public void startDate(Object value) {
    open();
    startDate = date("startDate", value);
  }

  /** No run gets a logical date after this. */
  public void endDate(Object value) {
    open();
    endDate = date("endDate", value);
  }

  /** Whether missed intervals since the start date are run (default false). */
  public void catchup(Object value) {
    open();
    spec.catchup(TaskSettings.bool("catchup", value));
  }

  /** How many runs of this DAG may be active at once (default 16). */
  public void maxActiveRuns(Object value) {
    open();
    spec.maxActiveRuns(TaskSettings.positive("maxActiveRuns", value));
  }

  /** How many tasks of this DAG may run at once across its runs (default 16). */
  public void maxActiveTasks(Object value) {
    open();
    spec.maxActiveTasks(TaskSettings.positive("maxActiveTasks", value));
  }

  /** Whether the DAG starts paused when first seen (default true). */
  public void pausedAtCreation(Object value) {
    open();
    spec.pausedAtCreation(TaskSettings.bool("pausedAtCreation", value));
  }

  /** Labels to filter DAGs by. */
  public void tags(Object... values) {
    open();
    List<String> tags = new ArrayList<>();
    for (Object value : values) {
      if (value instanceof Collection<?> many) {
        many.forEach(v -> tags.add(TaskSettings.text("tags", v)));
      } else {
        tags.add(TaskSettings.text("tags", value));
      }
    }
    spec.tags(tags.stream().distinct().toList());
  }

  /** Run parameters with defaults, such as {@code params { region 'eu' }}. */
  public void params(
      @DelegatesTo(value = ParamsBuilder.class, strategy = Closure.DELEGATE_FIRST)
          Closure<?> block) {
    open();
    ParamsBuilder builder = new ParamsBuilder();
    configure(builder, block, "params of dag '" + id + "'", List.of("param"));
    spec.params(builder.params());
  }

  @Override
  void runCallbacks(CallbackEvent event, Object... values) {
    open();
    List<Callback> callbacks;
    try {
      callbacks = CallbackValues.of(event.setting(), values);
    } catch (DslException e) {
      throw new DslException(where() + ": " + e.getMessage());
    }
    runCallbacks.computeIfAbsent(event, e -> new ArrayList<>()).addAll(callbacks);
  }

  @Override
  String where() {
    return "dag '" + id + "'";
  }

  /**
   * A run should be finished by this long after its data interval's end: {@code deadline 2.hours}.
   */
  public void deadline(Object interval) {
    deadline(Map.of(), interval);
  }

  /**
   * {@code deadline 2.hours, after: 'logical_date' | 'data_interval_end' | 'queued_at', onMiss:
   * callbacks}: when a run is not finished by then, the miss is recorded and the callbacks run.
   */
  public void deadline(Map<String, ?> named, Object interval) {
    open();
    String where = "dag '" + id + "': deadline";
    if (deadline != null) {
      throw new DslException(
          where + " is already set at line " + deadlineLine + "; a DAG has one deadline");
    }
    if (interval instanceof Map<?, ?>) {
      throw new DslException(
          where + " needs an interval first: deadline 2.hours, after: 'data_interval_end'");
    }
    if (!(interval instanceof Duration duration)) {
      throw new DslException(
          where
              + " takes a duration such as 30.minutes or 2.hours, got "
              + Names.describe(interval));
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new DslException(where + " must be longer than zero, got " + duration);
    }
    List<String> arguments = List.of("after", "onMiss");
    Deadline.Reference reference = Deadline.Reference.DATA_INTERVAL_END;
    List<Callback> onMiss = List.of();
    for (Map.Entry<String, ?> entry : named.entrySet()) {
      String name = String.valueOf(entry.getKey());
      if (name.equals("after")) {
        reference = reference(where, entry.getValue());
      } else if (name.equals("onMiss")) {
        try {
          onMiss = CallbackValues.of("onMiss", entry.getValue());
        } catch (DslException e) {
          throw new DslException(where + ": " + e.getMessage());
        }
      } else {
        throw new DslException(
            where
                + ": unknown argument '"
                + name
                + "'"
                + Names.didYouMean(name, arguments)
                + " (arguments: after, onMiss)");
      }
    }
    deadline = new Deadline(duration, reference, onMiss);
    deadlineLine = session.currentLine();
  }

  private static Deadline.Reference reference(String where, Object value) {
    List<String> names =
        java.util.Arrays.stream(Deadline.Reference.values())
            .map(Deadline.Reference::scriptName)
            .toList();
    String name = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    if (!(value instanceof CharSequence) || !names.contains(name)) {
      throw new DslException(
          where
              + ": unknown reference after: "
              + (value instanceof CharSequence ? "'" + value + "'" : Names.describe(value))
              + Names.didYouMean(name, names)
              + " (references: "
              + String.join(", ", names)
              + ")");
    }
    return Deadline.Reference.valueOf(name.toUpperCase(Locale.ROOT));
  }

  void declareTask(
      String taskId,
      String group,
      TaskAction action,
      TaskSettings settings,
      List<Dataset> outlets,
      int at) {
    open();
    if (tasks.containsKey(taskId)) {
      throw new DslException(
          "task id '"
              + taskId
              + "' is already used at line "
              + tasks.get(taskId).line()
              + " of dag '"
              + id
              + "'");
    }
    if (groups.contains(taskId)) {
      throw new DslException("task id '" + taskId + "' is already the id of a group");
    }
    tasks.put(taskId, new Draft(taskId, group, action, settings, outlets, at));
    graph.addVertex(taskId);
  }

  void declareGroup(String groupId) {
    open();
    if (tasks.containsKey(groupId) || !groups.add(groupId)) {
      throw new DslException("group id '" + groupId + "' is already used in dag '" + id + "'");
    }
  }

  void addDependency(String upstream, String downstream) {
    open();
    if (upstream.equals(downstream)) {
      throw new DslException("task '" + upstream + "' cannot depend on itself");
    }
    try {
      graph.addEdge(upstream, downstream);
    } catch (IllegalArgumentException cycle) {
      GraphPath<String, DefaultEdge> back =
          new BFSShortestPath<>(graph).getPath(downstream, upstream);
      List<String> loop = new ArrayList<>(back.getVertexList());
      loop.add(downstream);
      throw new DslException(
          "making '"
              + downstream
              + "' downstream of '"
              + upstream
              + "' would close a cycle: "
              + String.join(" >> ", loop));
    }
  }

  List<String> groupRoots(String prefix) {
    List<String> members = members(prefix);
    return members.stream()
        .filter(t -> graph.incomingEdgesOf(t).stream().noneMatch(e -> inGroup(prefix, e, true)))
        .toList();
  }

  List<String> groupLeaves(String prefix) {
    List<String> members = members(prefix);
    return members.stream()
        .filter(t -> graph.outgoingEdgesOf(t).stream().noneMatch(e -> inGroup(prefix, e, false)))
        .toList();
  }

  private List<String> members(String prefix) {
    return tasks.keySet().stream().filter(t -> t.startsWith(prefix)).toList();
  }

  private boolean inGroup(String prefix, DefaultEdge edge, boolean source) {
    String other = source ? graph.getEdgeSource(edge) : graph.getEdgeTarget(edge);
    return other.startsWith(prefix);
  }

  /** Called when the dag block ends: checks the whole DAG and freezes it. */
  void markDefined() {
    built = build();
  }

  DagSpec spec() {
    return built;
  }

  private DagSpec build() {
    closed = true;
    Instant start = startDate == null ? null : startDate.apply(timezone);
    Instant end = endDate == null ? null : endDate.apply(timezone);
    boolean scheduled = schedule.timeBased();
    if (scheduled && start == null) {
      throw new DslException(
          "dag '"
              + id
              + "' has schedule '"
              + schedule.describe()
              + "' but no startDate; add startDate 'YYYY-MM-DD' (or use schedule none() for"
              + " manual runs only)");
    }
    if (start != null && end != null && end.isBefore(start)) {
      throw new DslException(
          "dag '" + id + "' has endDate " + end + " before its startDate " + start);
    }
    spec.schedule(schedule)
        .timezone(timezone)
        .startDate(start)
        .endDate(end)
        .source(new ScriptSource(session.file(), line, session.sha256()))
        .runCallbacks(new Callbacks(runCallbacks))
        .deadline(deadline);
    for (Draft draft : tasks.values()) {
      TaskSettings s = draft.settings();
      spec.task(
          new TaskSpec(
              draft.id(),
              draft.group(),
              draft.action(),
              s.resolvedRetries(),
              s.resolvedRetryDelay(),
              s.resolvedRetryExponentialBackoff(),
              s.resolvedMaxRetryDelay(),
              s.resolvedExecutionTimeout(),
              s.resolvedTriggerRule(),
              s.resolvedDependsOnPast(),
              s.resolvedPriorityWeight(),
              s.resolvedPool(),
              s.resolvedQueue(),
              s.resolvedOwner(),
              s.resolvedDoc(),
              s.ownExpand(),
              draft.line(),
              draft.outlets(),
              s.resolvedCallbacks()));
    }
    for (DefaultEdge edge : graph.edgeSet()) {
      spec.dependency(graph.getEdgeSource(edge), graph.getEdgeTarget(edge));
    }
    return spec.build();
  }

  private void open() {
    if (closed) {
      throw new DslException(
          "dag '"
              + id
              + "' is already defined; its settings and tasks cannot change after its"
              + " block ends");
    }
  }

  private static Function<ZoneId, Instant> date(String setting, Object value) {
    if (value instanceof Instant instant) {
      return zone -> instant;
    }
    if (value instanceof ZonedDateTime zoned) {
      return zone -> zoned.toInstant();
    }
    if (value instanceof OffsetDateTime offset) {
      return zone -> offset.toInstant();
    }
    if (value instanceof LocalDateTime local) {
      return zone -> local.atZone(zone).toInstant();
    }
    if (value instanceof LocalDate day) {
      return zone -> day.atStartOfDay(zone).toInstant();
    }
    if (value instanceof java.util.Date date) {
      Instant instant = date.toInstant();
      return zone -> instant;
    }
    if (value instanceof CharSequence chars) {
      String text = chars.toString().trim();
      try {
        if (text.length() == 10) {
          LocalDate day = LocalDate.parse(text);
          return zone -> day.atStartOfDay(zone).toInstant();
        }
        if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
          Instant instant = OffsetDateTime.parse(text).toInstant();
          return zone -> instant;
        }
        LocalDateTime local = LocalDateTime.parse(text);
        return zone -> local.atZone(zone).toInstant();
      } catch (DateTimeParseException e) {
        throw new DslException(
            setting
                + " '"
                + text
                + "' is not a date; write 2025-01-31, 2025-01-31T06:00 (in the DAG's time zone)"
                + " or 2025-01-31T06:00:00Z");
      }
    }
    throw new DslException(
        setting + " takes a date such as '2025-01-31', got " + Names.describe(value));
  }
}
