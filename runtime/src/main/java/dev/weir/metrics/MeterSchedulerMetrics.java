package dev.weir.metrics;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's reports as Micrometer meters. Tags name DAGs, tasks and states only, never runs,
 * so the number of series grows with the DAGs, not with time.
 */
public final class MeterSchedulerMetrics implements SchedulerMetrics {
  private static final Logger log = LoggerFactory.getLogger(MeterSchedulerMetrics.class);

  // Histogram buckets: few, so that a DAG with many tasks stays cheap to scrape.
  private static final Duration[] LOOP_BUCKETS =
      durations("1ms", "5ms", "10ms", "25ms", "50ms", "100ms", "250ms", "500ms", "1s", "5s");
  private static final Duration[] TASK_BUCKETS =
      durations("100ms", "1s", "5s", "15s", "30s", "1m", "5m", "15m", "30m", "1h", "3h", "6h");
  private static final Duration[] RUN_BUCKETS =
      durations("1s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "3h", "6h", "12h", "24h");

  private final MeterRegistry registry;
  private final Timer loop;
  private final Map<RunState, AtomicInteger> runs = new EnumMap<>(RunState.class);
  private final Map<TaskState, AtomicInteger> taskInstances = new EnumMap<>(TaskState.class);
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  // Gauges per pool, kept while the pool exists: re-registering them each tick (MultiGauge's
  // overwrite) let a scrape meet a pool's series twice.
  private final Map<String, PoolGauges> pools = new HashMap<>();

  private record PoolGauges(
      AtomicInteger slots, AtomicInteger used, Gauge slotsGauge, Gauge usedGauge) {}

  public MeterSchedulerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.loop =
        Timer.builder("weir.scheduler.loop.duration")
            .description("Time of one scheduler pass")
            .serviceLevelObjectives(LOOP_BUCKETS)
            .register(registry);
    for (RunState state : RunState.values()) {
      if (!state.isFinished()) {
        AtomicInteger count = new AtomicInteger();
        runs.put(state, count);
        Gauge.builder("weir.dag.runs", count, AtomicInteger::get)
            .description("Active DAG runs by state")
            .tag("state", state.label())
            .register(registry);
      }
    }
    for (TaskState state : TaskState.values()) {
      if (!state.isFinished()) {
        AtomicInteger count = new AtomicInteger();
        taskInstances.put(state, count);
        Gauge.builder("weir.task.instances", count, AtomicInteger::get)
            .description("Unfinished task instances of active runs by state")
            .tag("state", state.label())
            .register(registry);
      }
    }
    Gauge.builder("weir.task.instances.queued", queued, AtomicInteger::get)
        .description("Task instances waiting for a free slot")
        .register(registry);
    Gauge.builder("weir.task.instances.running", running, AtomicInteger::get)
        .description("Tries running now")
        .register(registry);
  }

  @Override
  public void passTook(Duration took) {
    guarded(() -> loop.record(took));
  }

  @Override
  public void tryEnded(String dagId, String taskId, TaskState state, Duration took) {
    guarded(
        () ->
            Timer.builder("weir.task.duration")
                .description("Time of a task's tries, by the state they ended in")
                .tags("dag", dagId, "task", taskId, "state", state.label())
                .serviceLevelObjectives(TASK_BUCKETS)
                .register(registry)
                .record(took));
    if (state.isFinished()) {
      guarded(
          () ->
              Counter.builder("weir.task.instance.ends")
                  .description("Task instances that ended, by state")
                  .tags("dag", dagId, "state", state.label())
                  .register(registry)
                  .increment());
    }
  }

  @Override
  public void runEnded(String dagId, RunState state, Duration took) {
    guarded(
        () -> {
          Timer.builder("weir.dag.run.duration")
              .description("Time of DAG runs, by the state they ended in")
              .tags("dag", dagId, "state", state.label())
              .serviceLevelObjectives(RUN_BUCKETS)
              .register(registry)
              .record(took);
          Counter.builder("weir.dag.run.ends")
              .description("DAG runs that ended, by state")
              .tags("dag", dagId, "state", state.label())
              .register(registry)
              .increment();
        });
  }

  @Override
  public void deadlineMissed(String dagId) {
    guarded(
        () ->
            Counter.builder("weir.deadline.misses")
                .description("DAG runs that missed their deadline")
                .tag("dag", dagId)
                .register(registry)
                .increment());
  }

  @Override
  public void snapshot(SchedulerSnapshot snapshot) {
    guarded(
        () -> {
          runs.forEach((state, count) -> count.set(snapshot.runs().getOrDefault(state, 0)));
          taskInstances.forEach(
              (state, count) -> count.set(snapshot.taskInstances().getOrDefault(state, 0)));
          queued.set(snapshot.queued());
          running.set(snapshot.running());
          snapshot
              .pools()
              .forEach(
                  (pool, usage) -> {
                    PoolGauges gauges = pools.computeIfAbsent(pool, this::poolGauges);
                    gauges.slots().set(usage.slots());
                    gauges.used().set(usage.running());
                  });
          // A pool gone from the snapshot loses its series.
          pools
              .entrySet()
              .removeIf(
                  entry -> {
                    if (snapshot.pools().containsKey(entry.getKey())) {
                      return false;
                    }
                    registry.remove(entry.getValue().slotsGauge());
                    registry.remove(entry.getValue().usedGauge());
                    return true;
                  });
        });
  }

  private PoolGauges poolGauges(String pool) {
    AtomicInteger slots = new AtomicInteger();
    AtomicInteger used = new AtomicInteger();
    Gauge slotsGauge =
        Gauge.builder("weir.pool.slots", slots, AtomicInteger::get)
            .description("Slots of a pool")
            .tag("pool", pool)
            .register(registry);
    Gauge usedGauge =
        Gauge.builder("weir.pool.slots.used", used, AtomicInteger::get)
            .description("Slots of a pool taken by running tries")
            .tag("pool", pool)
            .register(registry);
    return new PoolGauges(slots, used, slotsGauge, usedGauge);
  }

  // The scheduler's thread calls in: a meter's fault is logged, never thrown at it.
  private static void guarded(Runnable recording) {
    try {
      recording.run();
    } catch (RuntimeException e) {
      log.warn("Recording a scheduler metric failed; the scheduler keeps running", e);
    }
  }

  private static Duration[] durations(String... texts) {
    Duration[] durations = new Duration[texts.length];
    for (int i = 0; i < texts.length; i++) {
      String text = texts[i];
      durations[i] =
          text.endsWith("ms")
              ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
              : Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
    }
    return durations;
  }
}
