package dev.weir.sensors;

import java.time.Instant;

/**
 * What one poke found.
 *
 * @param value the task's result when done, or null
 * @param message why it is not done yet, or why it failed
 * @param notBefore when waiting: the earliest time the condition can hold (the target of a
 *     dateTimeSensor), or null to wait the poke interval
 */
record Poke(Status status, Object value, String message, Instant notBefore) {
  enum Status {
    DONE,
    WAIT,
    FAIL
  }

  static Poke done(Object value) {
    return new Poke(Status.DONE, value, null, null);
  }

  static Poke waiting(String why) {
    return new Poke(Status.WAIT, null, why, null);
  }

  static Poke waitingUntil(Instant notBefore, String why) {
    return new Poke(Status.WAIT, null, why, notBefore);
  }

  /** Failed for good, as an external task in one of the failed states: no more pokes. */
  static Poke failed(String why) {
    return new Poke(Status.FAIL, null, why, null);
  }
}
