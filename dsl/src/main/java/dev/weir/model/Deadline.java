package dev.weir.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code deadline 2.hours, after: 'data_interval_end', onMiss: …}: a run should be finished by this
 * long after one of its times; when it is not, the miss is recorded and the callbacks run.
 */
public record Deadline(Duration interval, Reference reference, List<Callback> onMiss) {

  public Deadline {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(reference, "reference");
    onMiss = List.copyOf(onMiss);
  }

  /** The time of a run the interval is counted from. */
  public enum Reference {
    LOGICAL_DATE,
    DATA_INTERVAL_END,
    QUEUED_AT;

    /**
     * The name written in scripts: {@code logical_date}, {@code data_interval_end}, {@code
     * queued_at}.
     */
    public String scriptName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** When a run with these times is due. */
  public Instant dueAt(Instant logicalDate, Instant dataIntervalEnd, Instant queuedAt) {
    Instant from =
        switch (reference) {
          case LOGICAL_DATE -> logicalDate;
          case DATA_INTERVAL_END -> dataIntervalEnd;
          case QUEUED_AT -> queuedAt;
        };
    return from.plus(interval);
  }
}
