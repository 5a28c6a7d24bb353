package dev.weir.schedule;

/** Runs only when triggered by hand or backfilled (Airflow's {@code schedule=None}). */
public record NoSchedule() implements Schedule {

  @Override
  public boolean timeBased() {
    return false;
  }

  @Override
  public String describe() {
    return "none";
  }
}
