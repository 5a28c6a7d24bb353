package dev.weir.dsl;

import dev.weir.model.SensorOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The settings every sensor has: how often it pokes, for how long, and where it waits. They belong
 * to the sensor itself; {@code defaults { … }} does not take them.
 */
public class SensorSettings extends TaskSettings {
  static final List<String> SENSOR_KEYWORDS =
      List.of(
          "pokeInterval", "timeout", "mode", "softFail", "exponentialBackoff", "maxPokeInterval");
  private static final List<String> MODES =
      Arrays.stream(SensorOptions.Mode.values()).map(SensorOptions.Mode::scriptName).toList();

  private final List<String> keywords;
  private Duration pokeInterval = SensorOptions.DEFAULT_POKE_INTERVAL;
  private Duration timeout = SensorOptions.DEFAULT_TIMEOUT;
  private SensorOptions.Mode mode = SensorOptions.Mode.POKE;
  private boolean softFail;
  private boolean exponentialBackoff;
  private Duration maxPokeInterval;

  SensorSettings(TaskSettings parent) {
    this(parent, List.of());
  }

  /** A sensor kind's settings with its own keywords before the shared ones. */
  SensorSettings(TaskSettings parent, List<String> ownKeywords) {
    super(parent);
    this.keywords =
        Stream.of(ownKeywords, SENSOR_KEYWORDS, TaskSettings.KEYWORDS)
            .flatMap(List::stream)
            .toList();
  }

  /** The wait between two pokes, such as {@code 30.seconds} (default 60 seconds). */
  public void pokeInterval(Object value) {
    pokeInterval = positiveDuration("pokeInterval", value);
  }

  /**
   * How long the sensor may wait in all, over every try and poke, from its first start (default 7
   * days). Then it fails, or is skipped with {@code softFail true}.
   */
  public void timeout(Object value) {
    timeout = positiveDuration("timeout", value);
  }

  /**
   * {@code 'poke'} (default) waits inside one try and keeps the worker slot; {@code 'reschedule'}
   * pokes once per try and frees the slot in between.
   */
  public void mode(Object value) {
    String name = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    if (!MODES.contains(name)) {
      throw new DslException(
          "mode takes 'poke' or 'reschedule', got "
              + Names.describe(value)
              + Names.didYouMean(name, MODES));
    }
    mode = SensorOptions.Mode.valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** On timeout, end skipped instead of failed (default false). */
  public void softFail(Object value) {
    softFail = bool("softFail", value);
  }

  /** Doubles the wait after each poke, up to {@code maxPokeInterval} (default false). */
  public void exponentialBackoff(Object value) {
    exponentialBackoff = bool("exponentialBackoff", value);
  }

  /** The longest wait exponential backoff may reach (default: no cap but the timeout). */
  public void maxPokeInterval(Object value) {
    maxPokeInterval = positiveDuration("maxPokeInterval", value);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "pokeInterval" -> pokeInterval(value);
      case "timeout" -> timeout(value);
      case "mode" -> mode(value);
      case "softFail" -> softFail(value);
      case "exponentialBackoff" -> exponentialBackoff(value);
      case "maxPokeInterval" -> maxPokeInterval(value);
      default -> super.set(name, value);
    }
  }

  @Override
  List<String> keywords() {
    return keywords;
  }

  SensorOptions options() {
    return new SensorOptions(
        pokeInterval, timeout, mode, softFail, exponentialBackoff, maxPokeInterval);
  }

  static Duration positiveDuration(String setting, Object value) {
    Duration duration = duration(setting, value);
    if (duration.isZero()) {
      throw new DslException(setting + " must be longer than zero");
    }
    return duration;
  }

  /** A list of strings from a list (or a single string), each one of {@code known}. */
  static List<String> states(String setting, Object value, List<String> known) {
    List<?> items = value instanceof List<?> list ? list : List.of(value);
    List<String> states =
        items.stream().map(item -> text(setting, item).trim().toLowerCase(Locale.ROOT)).toList();
    for (String state : states) {
      if (!known.contains(state)) {
        throw new DslException(
            setting
                + " has unknown state '"
                + state
                + "'"
                + Names.didYouMean(state, known)
                + " (states: "
                + String.join(", ", known)
                + ")");
      }
    }
    return states;
  }

  /** Task instance states, as an external task may be in them. */
  static final List<String> TASK_STATES =
      List.of(
          "none",
          "scheduled",
          "queued",
          "running",
          "success",
          "failed",
          "skipped",
          "upstream_failed",
          "up_for_retry",
          "up_for_reschedule",
          "removed");

  /** DAG run states. */
  static final List<String> RUN_STATES = List.of("queued", "running", "success", "failed");
}
