package dev.weir.store;

/** A run with this run id or logical date exists already for the DAG. */
public final class DuplicateRunException extends StoreException {
  private final String dagId;
  private final String runId;

  public DuplicateRunException(String dagId, String runId, Throwable cause) {
    super(
        "DAG " + dagId + " has a run with the run id or logical date of " + runId + " already",
        cause);
    this.dagId = dagId;
    this.runId = runId;
  }

  public String dagId() {
    return dagId;
  }

  public String runId() {
    return runId;
  }
}
