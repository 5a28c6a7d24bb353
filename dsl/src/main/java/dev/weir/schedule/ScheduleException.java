package dev.weir.schedule;

// TEMPORARY STUB
public final class ScheduleException extends RuntimeException {
  public ScheduleException(String m) {
    super(m);
  }
}
