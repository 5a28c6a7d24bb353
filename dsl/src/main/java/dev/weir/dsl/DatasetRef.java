package dev.weir.dsl;

/**
 * What {@code dataset('uri')} returns in a script: a dataset named where it is used, as a task's
 * outlet. Its URI is checked when the task is declared, so the error can name the task and DAG.
 */
public record DatasetRef(String uri) {
  @Override
  public String toString() {
    return "dataset('" + uri + "')";
  }
}
