package dev.weir.schedule;

/** A schedule that cannot be used, with a message that tells the user what to change. */
public final class ScheduleException extends RuntimeException {

  /** Creates the exception with a message a user can act on. */
  public ScheduleException(String message) {
    super(message);
  }
}
