package dev.weir.store;

/** A pool: at most {@code slots} task instances assigned to it run at once. */
public record PoolRow(String name, int slots, String description) {
  public static final String DEFAULT = "default_pool";
}
