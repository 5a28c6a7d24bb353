package dev.weir.run;

import java.time.Duration;

/** Durations as people write them: {@code 1.5 s}, {@code 2 min}, {@code 3 h 5 min}. */
public final class Durations {
  private Durations() {}

  public static String format(Duration duration) {
    if (duration == null) {
      return "-";
    }
    long millis = duration.toMillis();
    if (millis < 1_000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long minutes = duration.toMinutes();
    if (minutes < 60) {
      long seconds = duration.toSecondsPart();
      return seconds == 0 ? minutes + " min" : minutes + " min " + seconds + " s";
    }
    long hours = duration.toHours();
    long rest = duration.toMinutesPart();
    return rest == 0 ? hours + " h" : hours + " h " + rest + " min";
  }
}
