package dev.weir.model;

import dev.weir.schedule.Dataset;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One task of a DAG with every setting resolved (task value, else DAG defaults, else Weir's
 * defaults).
 *
 * @param id the task id, prefixed by its groups ({@code prep.clean})
 * @param group the id of the innermost group, or null
 * @param expand what the task is mapped over, or null when it is a single instance
 * @param line the line of the script that declared it, or 0 when unknown
 * @param outlets the datasets a successful try of the task updates; empty for most tasks
 * @param callbacks what runs when an instance succeeds, fails, is retried or skips itself
 */
public record TaskSpec(
    String id,
    String group,
    TaskAction action,
    int retries,
    Duration retryDelay,
    boolean retryExponentialBackoff,
    Duration maxRetryDelay,
    Duration executionTimeout,
    TriggerRule triggerRule,
    boolean dependsOnPast,
    int priorityWeight,
    String pool,
    String queue,
    String owner,
    String doc,
    MapSource expand,
    int line,
    List<Dataset> outlets,
    Callbacks callbacks) {

  public TaskSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(triggerRule, "triggerRule");
    outlets = outlets == null ? List.of() : List.copyOf(outlets);
    callbacks = callbacks == null ? Callbacks.NONE : callbacks;
  }

  /** A task that updates no dataset and has no callbacks. */
  public TaskSpec(
      String id,
      String group,
      TaskAction action,
      int retries,
      Duration retryDelay,
      boolean retryExponentialBackoff,
      Duration maxRetryDelay,
      Duration executionTimeout,
      TriggerRule triggerRule,
      boolean dependsOnPast,
      int priorityWeight,
      String pool,
      String queue,
      String owner,
      String doc,
      MapSource expand,
      int line) {
    this(
        id,
        group,
        action,
        retries,
        retryDelay,
        retryExponentialBackoff,
        maxRetryDelay,
        executionTimeout,
        triggerRule,
        dependsOnPast,
        priorityWeight,
        pool,
        queue,
        owner,
        doc,
        expand,
        line,
        List.of(),
        Callbacks.NONE);
  }

  /**
   * The delay before try {@code nextTry} (2 for the first retry): the retry delay, doubled for each
   * earlier retry when exponential backoff is on, capped by the max retry delay.
   */
  public Duration delayBeforeTry(int nextTry) {
    Duration delay = retryDelay;
    if (retryExponentialBackoff) {
      int doublings = Math.min(Math.max(nextTry - 2, 0), 30);
      delay = retryDelay.multipliedBy(1L << doublings);
    }
    if (maxRetryDelay != null && delay.compareTo(maxRetryDelay) > 0) {
      delay = maxRetryDelay;
    }
    return delay;
  }

  /** Whether the task runs as one instance per item of a list. */
  public boolean isMapped() {
    return expand != null;
  }

  /** How many tries a task gets in all: the first one plus its retries. */
  public int maxTries() {
    return retries + 1;
  }
}
