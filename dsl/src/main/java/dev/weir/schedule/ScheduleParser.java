package dev.weir.schedule;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Turns schedule text into a {@link Schedule}: presets here, cron fields in {@link CronFields}. */
final class ScheduleParser {

  private static final Map<String, String> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put("@once", null);
    PRESETS.put("@hourly", "0 * * * *");
    PRESETS.put("@daily", "0 0 * * *");
    PRESETS.put("@midnight", "0 0 * * *");
    PRESETS.put("@weekly", "0 0 * * 0");
    PRESETS.put("@monthly", "0 0 1 * *");
    PRESETS.put("@yearly", "0 0 1 1 *");
    PRESETS.put("@annually", "0 0 1 1 *");
  }

  private ScheduleParser() {}

  static Schedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new ScheduleException(
          "schedule is empty: give a cron such as '0 3 * * *' or a preset such as '@daily'");
    }
    String text = expression.trim().replaceAll("\\s+", " ");
    if (text.startsWith("@")) {
      String preset = text.toLowerCase(Locale.ROOT);
      if (!PRESETS.containsKey(preset)) {
        throw new ScheduleException(unknownPreset(text));
      }
      if (preset.equals("@once")) {
        return Schedule.once();
      }
      String cron = PRESETS.get(preset);
      return new CronSchedule(cron, preset, CronFields.parse(cron));
    }
    if (!text.contains(" ") && PRESETS.containsKey("@" + text.toLowerCase(Locale.ROOT))) {
      // "daily" is a common slip for "@daily"; say so instead of counting fields.
      throw new ScheduleException(
          "invalid cron '"
              + text
              + "': expected 5 fields (minute hour day-of-month month day-of-week), got 1;"
              + " did you mean '@"
              + text.toLowerCase(Locale.ROOT)
              + "'?");
    }
    return new CronSchedule(text, text, CronFields.parse(text));
  }

  private static String unknownPreset(String text) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String preset : PRESETS.keySet()) {
      int distance = editDistance(text.toLowerCase(Locale.ROOT), preset);
      if (distance < best) {
        best = distance;
        nearest = preset;
      }
    }
    if (best <= 3) {
      return "unknown schedule preset '" + text + "'; did you mean '" + nearest + "'?";
    }
    return "unknown schedule preset '"
        + text
        + "'; known presets are "
        + String.join(", ", PRESETS.keySet());
  }

  /** Levenshtein distance, enough to suggest the preset the user meant. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
