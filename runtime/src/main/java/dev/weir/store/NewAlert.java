package dev.weir.store;

import dev.weir.model.CallbackEvent;
import java.time.Instant;
import java.util.Objects;

/** An event the scheduler puts in the alert outbox with the change it reports. */
public record NewAlert(
    long runPk,
    CallbackEvent event,
    String taskId,
    int mapIndex,
    int tryNumber,
    String error,
    Instant createdAt) {

  public NewAlert {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A run event: no task. */
  public static NewAlert ofRun(long runPk, CallbackEvent event, String error, Instant at) {
    return new NewAlert(runPk, event, null, -1, 0, error, at);
  }
}
