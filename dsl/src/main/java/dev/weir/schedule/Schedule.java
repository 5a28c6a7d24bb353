package dev.weir.schedule;

// TEMPORARY STUB until the schedule branch merges.
public interface Schedule {
  static Schedule parse(String e) {
    return () -> e;
  }

  static Schedule every(java.time.Duration d) {
    return () -> "every " + d;
  }

  static Schedule once() {
    return () -> "@once";
  }

  static Schedule none() {
    return () -> "none";
  }

  String describe();
}
