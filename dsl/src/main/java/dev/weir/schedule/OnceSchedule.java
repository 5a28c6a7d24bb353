package dev.weir.schedule;

/** Runs once at the DAG's start date ({@code @once}). */
public record OnceSchedule() implements Schedule {

  @Override
  public String describe() {
    return "@once";
  }
}
