package dev.weir.model;

import dev.weir.schedule.Schedule;
import dev.weir.schedule.Timetable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * A DAG as its script defined it: settings, tasks and the dependency graph. Immutable, and free of
 * the builder state that produced it.
 */
public final class DagSpec {

  private final String id;
  private final String description;
  private final String doc;
  private final Schedule schedule;
  private final ZoneId timezone;
  private final Instant startDate;
  private final Instant endDate;
  private final boolean catchup;
  private final int maxActiveRuns;
  private final int maxActiveTasks;
  private final boolean pausedAtCreation;
  private final List<String> tags;
  private final Map<String, ParamSpec> params;
  private final Map<String, TaskSpec> tasks;
  private final Graph<String, DefaultEdge> graph;
  private final List<String> topologicalOrder;
  private final ScriptSource source;
  private final Timetable timetable;
  private final Callbacks runCallbacks;
  private final Deadline deadline;

  private DagSpec(Builder b) {
    this.id = b.id;
    this.description = b.description;
    this.doc = b.doc;
    this.schedule = b.schedule;
    this.timezone = b.timezone;
    this.startDate = b.startDate;
    this.endDate = b.endDate;
    this.catchup = b.catchup;
    this.maxActiveRuns = b.maxActiveRuns;
    this.maxActiveTasks = b.maxActiveTasks;
    this.pausedAtCreation = b.pausedAtCreation;
    this.tags = List.copyOf(b.tags);
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
    this.source = b.source;
    this.runCallbacks = b.runCallbacks;
    this.deadline = b.deadline;

    DirectedAcyclicGraph<String, DefaultEdge> copy = new DirectedAcyclicGraph<>(DefaultEdge.class);
    Graphs.addGraph(copy, b.graph);
    this.graph = new AsUnmodifiableGraph<>(copy);
    List<String> order = new ArrayList<>(copy.vertexSet().size());
    copy.iterator().forEachRemaining(order::add);
    this.topologicalOrder = List.copyOf(order);
    Map<String, TaskSpec> byId = new LinkedHashMap<>();
    for (String taskId : topologicalOrder) {
      byId.put(taskId, b.tasks.get(taskId));
    }
    this.tasks = Collections.unmodifiableMap(byId);
    this.timetable = new Timetable(schedule, timezone, startDate, endDate);
  }

  /** Starts a DAG; the DSL is the usual way to make one. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** Markdown documentation, or null. */
  public String doc() {
    return doc;
  }

  public Schedule schedule() {
    return schedule;
  }

  public ZoneId timezone() {
    return timezone;
  }

  /** The start date, or null for a DAG that is only run by hand. */
  public Instant startDate() {
    return startDate;
  }

  /** The end date, or null when the schedule never ends. */
  public Instant endDate() {
    return endDate;
  }

  public boolean catchup() {
    return catchup;
  }

  public int maxActiveRuns() {
    return maxActiveRuns;
  }

  public int maxActiveTasks() {
    return maxActiveTasks;
  }

  public boolean pausedAtCreation() {
    return pausedAtCreation;
  }

  public List<String> tags() {
    return tags;
  }

  public Map<String, ParamSpec> params() {
    return params;
  }

  public ScriptSource source() {
    return source;
  }

  /** The schedule arithmetic of this DAG: its data intervals in its time zone. */
  public Timetable timetable() {
    return timetable;
  }

  /** What runs when a run of this DAG succeeds or fails ({@code onSuccess}/{@code onFailure}). */
  public Callbacks runCallbacks() {
    return runCallbacks;
  }

  /** When each run should be finished by, if the DAG sets a deadline. */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** Tasks by id, in topological order. */
  public Map<String, TaskSpec> tasks() {
    return tasks;
  }

  public Optional<TaskSpec> task(String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  /** Task ids such that every task comes after all of its upstream tasks. */
  public List<String> topologicalOrder() {
    return topologicalOrder;
  }

  /** The dependency graph; an edge goes from an upstream task to a downstream one. Read-only. */
  public Graph<String, DefaultEdge> graph() {
    return graph;
  }

  /** Direct upstream task ids of a task. */
  public Set<String> upstream(String taskId) {
    requireTask(taskId);
    return sorted(Graphs.predecessorListOf(graph, taskId));
  }

  /** Direct downstream task ids of a task. */
  public Set<String> downstream(String taskId) {
    requireTask(taskId);
    return sorted(Graphs.successorListOf(graph, taskId));
  }

  /** Tasks with no upstream task. */
  public List<String> roots() {
    return topologicalOrder.stream().filter(t -> graph.inDegreeOf(t) == 0).toList();
  }

  /** Tasks with no downstream task. */
  public List<String> leaves() {
    return topologicalOrder.stream().filter(t -> graph.outDegreeOf(t) == 0).toList();
  }

  private void requireTask(String taskId) {
    if (!tasks.containsKey(taskId)) {
      throw new IllegalArgumentException("DAG '" + id + "' has no task '" + taskId + "'");
    }
  }

  private static Set<String> sorted(List<String> ids) {
    return Collections.unmodifiableSet(new TreeSet<>(ids));
  }

  @Override
  public String toString() {
    return "DagSpec[" + id + ", " + tasks.size() + " tasks]";
  }

  /** Collects a DAG's parts; {@link #build()} checks nothing the DSL has not already checked. */
  public static final class Builder {
    private final String id;
    private String description;
    private String doc;
    private Schedule schedule = Schedule.none();
    private ZoneId timezone = ZoneId.of("UTC");
    private Instant startDate;
    private Instant endDate;
    private boolean catchup;
    private int maxActiveRuns = 16;
    private int maxActiveTasks = 16;
    private boolean pausedAtCreation = true;
    private List<String> tags = List.of();
    private Map<String, ParamSpec> params = Map.of();
    private final Map<String, TaskSpec> tasks = new LinkedHashMap<>();
    private final DirectedAcyclicGraph<String, DefaultEdge> graph =
        new DirectedAcyclicGraph<>(DefaultEdge.class);
    private ScriptSource source = new ScriptSource("<unknown>", 0, "");
    private Callbacks runCallbacks = Callbacks.NONE;
    private Deadline deadline;

    private Builder(String id) {
      this.id = id;
    }

    public Builder description(String value) {
      description = value;
      return this;
    }

    public Builder doc(String value) {
      doc = value;
      return this;
    }

    public Builder schedule(Schedule value) {
      schedule = value;
      return this;
    }

    public Builder timezone(ZoneId value) {
      timezone = value;
      return this;
    }

    public Builder startDate(Instant value) {
      startDate = value;
      return this;
    }

    public Builder endDate(Instant value) {
      endDate = value;
      return this;
    }

    public Builder catchup(boolean value) {
      catchup = value;
      return this;
    }

    public Builder maxActiveRuns(int value) {
      maxActiveRuns = value;
      return this;
    }

    public Builder maxActiveTasks(int value) {
      maxActiveTasks = value;
      return this;
    }

    public Builder pausedAtCreation(boolean value) {
      pausedAtCreation = value;
      return this;
    }

    public Builder tags(List<String> value) {
      tags = value;
      return this;
    }

    public Builder params(Map<String, ParamSpec> value) {
      params = value;
      return this;
    }

    public Builder source(ScriptSource value) {
      source = value;
      return this;
    }

    public Builder runCallbacks(Callbacks value) {
      runCallbacks = value;
      return this;
    }

    public Builder deadline(Deadline value) {
      deadline = value;
      return this;
    }

    /** Adds a task; its id must be new. */
    public Builder task(TaskSpec task) {
      if (tasks.putIfAbsent(task.id(), task) != null) {
        throw new IllegalArgumentException("duplicate task id '" + task.id() + "'");
      }
      graph.addVertex(task.id());
      return this;
    }

    /**
     * Adds an edge from upstream to downstream.
     *
     * @throws IllegalArgumentException when the edge would close a cycle
     */
    public Builder dependency(String upstream, String downstream) {
      graph.addEdge(upstream, downstream);
      return this;
    }

    public DagSpec build() {
      return new DagSpec(this);
    }
  }
}
