package dev.weir.store;

import dev.weir.state.RunState;
import java.time.Instant;
import java.util.Set;

/**
 * Which runs to list, a page at a time: newest logical date first.
 *
 * @param dagId the DAG whose runs to list, or null for every DAG
 * @param states the states to keep; empty (or null) for every state
 * @param logicalDateFrom the earliest logical date to keep (inclusive), or null
 * @param logicalDateTo the latest logical date to keep (inclusive), or null
 * @param limit how many runs a page holds at most
 * @param offset how many runs to pass over before the page starts
 */
public record RunQuery(
    String dagId,
    Set<RunState> states,
    Instant logicalDateFrom,
    Instant logicalDateTo,
    int limit,
    int offset) {

  public RunQuery {
    states = states == null ? Set.of() : Set.copyOf(states);
    if (limit < 0) {
      throw new IllegalArgumentException(
          "the limit of a run query must be 0 or more, not " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException(
          "the offset of a run query must be 0 or more, not " + offset);
    }
  }

  /** The first {@code limit} runs of a DAG (or of every DAG for null), in every state. */
  public static RunQuery of(String dagId, int limit) {
    return new RunQuery(dagId, Set.of(), null, null, limit, 0);
  }
}
