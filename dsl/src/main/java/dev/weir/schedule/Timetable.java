package dev.weir.schedule;

// TEMPORARY STUB
public final class Timetable {
  public Timetable(Schedule s, java.time.ZoneId z, java.time.Instant a, java.time.Instant b) {}
}
