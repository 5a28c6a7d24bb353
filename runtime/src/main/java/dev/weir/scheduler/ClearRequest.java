package dev.weir.scheduler;

import java.time.Instant;
import java.util.List;

/**
 * Which task instances to clear so they run again.
 *
 * @param runIds the runs, or empty for the runs chosen by {@code from}/{@code to}
 * @param from the earliest logical date, or null for no limit
 * @param to the latest logical date, or null for no limit
 * @param taskRegex tasks whose id contains a match, or null for every task
 * @param downstream also every task downstream of a chosen one
 * @param upstream also every task upstream of a chosen one
 * @param onlyFailed only instances that failed or whose upstream failed
 */
public record ClearRequest(
    String dagId,
    List<String> runIds,
    Instant from,
    Instant to,
    String taskRegex,
    boolean downstream,
    boolean upstream,
    boolean onlyFailed) {

  public ClearRequest {
    runIds = runIds == null ? List.of() : List.copyOf(runIds);
  }
}
