package dev.weir.store;

import java.util.Locale;

/** How a DAG run came to be; the prefix of its run id. */
public enum RunType {
  SCHEDULED,
  MANUAL,
  BACKFILL,
  /** Created because every dataset its DAG is scheduled on was updated. */
  DATASET_TRIGGERED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunType fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
