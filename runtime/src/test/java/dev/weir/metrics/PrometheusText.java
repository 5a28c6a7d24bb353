package dev.weir.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed scrape in the Prometheus text format 0.0.4, for tests: the samples ({@code
 * name{label="value",…} number}) and the {@code # TYPE} of each metric family. Fails on a line it
 * cannot read, so a malformed scrape fails the test.
 */
public final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: (-?[0-9]+))?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
  private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new HashMap<>();

  private PrometheusText() {}

  public static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        Matcher type = TYPE.matcher(line);
        if (type.matches()) {
          parsed.types.put(type.group(1), type.group(2));
        } else if (!line.startsWith("# HELP ")) {
          throw new AssertionError("not a TYPE or HELP comment: " + line);
        }
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      parsed.samples.add(
          new Sample(sample.group(1), labels(sample.group(2), line), number(sample.group(3))));
    }
    return parsed;
  }

  private static Map<String, String> labels(String text, String line) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher label = LABEL.matcher(text);
    int end = 0;
    while (label.find() && label.start() == end) {
      labels.put(
          label.group(1),
          label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
      end = label.end();
    }
    if (end != text.length()) {
      throw new AssertionError("unreadable labels in: " + line);
    }
    return labels;
  }

  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  /** The {@code # TYPE} of a metric family, such as {@code counter} or {@code histogram}. */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /** Every sample of this name whose labels include these. */
  public List<Sample> samples(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** The value of the one sample with this name and exactly these labels. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    List<Sample> found =
        samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
    if (found.size() > 1) {
      throw new AssertionError("several samples " + name + labels + ": " + found);
    }
    return found.stream().findFirst().map(Sample::value);
  }

  /** The value of the one sample with this name and no labels. */
  public Optional<Double> value(String name) {
    return value(name, Map.of());
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }
}
