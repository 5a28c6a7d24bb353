package dev.weir.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a sensor waits: how often it pokes, for how long in all, and whether it keeps its worker slot
 * between pokes.
 *
 * @param pokeInterval the wait between two pokes (the first wait when backing off)
 * @param timeout how long the sensor may wait in all, over every try and poke of its task instance,
 *     counted from the instance's first start
 * @param mode poke (wait inside one try, holding the slot) or reschedule (one poke per try, the
 *     slot is freed in between)
 * @param softFail on timeout, end skipped instead of failed
 * @param exponentialBackoff double the wait after each poke
 * @param maxPokeInterval the longest wait backing off may reach, or null for no cap but the timeout
 */
public record SensorOptions(
    Duration pokeInterval,
    Duration timeout,
    Mode mode,
    boolean softFail,
    boolean exponentialBackoff,
    Duration maxPokeInterval) {

  /** Airflow's default poke interval. */
  public static final Duration DEFAULT_POKE_INTERVAL = Duration.ofSeconds(60);

  /** Airflow's default sensor timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);

  /** Where a sensor waits between pokes. */
  public enum Mode {
    /** Sleeps inside its try, keeping the worker slot. */
    POKE,
    /** Ends its try as up_for_reschedule and frees the slot until the next poke. */
    RESCHEDULE;

    public String scriptName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SensorOptions {
    Objects.requireNonNull(pokeInterval, "pokeInterval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(mode, "mode");
  }

  /** The defaults: poke every 60 s for up to 7 days, holding the slot. */
  public static SensorOptions defaults() {
    return new SensorOptions(DEFAULT_POKE_INTERVAL, DEFAULT_TIMEOUT, Mode.POKE, false, false, null);
  }
}
