package dev.weir.run;

/** What a trigger rule says about a task, given its upstream tasks' states. */
public enum TriggerDecision {
  /** Not yet: upstream tasks that matter are still unfinished. */
  WAIT,
  /** The task may run. */
  RUN,
  /** The task will not run, and that is no failure. */
  SKIP,
  /** The task cannot run because upstream tasks failed. */
  UPSTREAM_FAILED
}
