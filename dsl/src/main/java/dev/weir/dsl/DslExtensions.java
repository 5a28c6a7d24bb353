package dev.weir.dsl;

import java.time.Duration;
import java.util.List;

/**
 * Groovy extension methods for DAG scripts: durations that read naturally ({@code 30.seconds},
 * {@code 2.hours}) and lists of tasks on the left of {@code >>}. Registered in {@code
 * META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule}.
 */
public final class DslExtensions {
  private DslExtensions() {}

  public static Duration getMilliseconds(Number self) {
    return Duration.ofMillis(self.longValue());
  }

  public static Duration getSeconds(Number self) {
    return Duration.ofMillis(Math.round(self.doubleValue() * 1_000));
  }

  public static Duration getSecond(Number self) {
    return getSeconds(self);
  }

  public static Duration getMinutes(Number self) {
    return Duration.ofMillis(Math.round(self.doubleValue() * 60_000));
  }

  public static Duration getMinute(Number self) {
    return getMinutes(self);
  }

  public static Duration getHours(Number self) {
    return Duration.ofMillis(Math.round(self.doubleValue() * 3_600_000));
  }

  public static Duration getHour(Number self) {
    return getHours(self);
  }

  public static Duration getDays(Number self) {
    return Duration.ofMillis(Math.round(self.doubleValue() * 86_400_000));
  }

  public static Duration getDay(Number self) {
    return getDays(self);
  }

  public static Duration getWeeks(Number self) {
    return getDays(self.doubleValue() * 7);
  }

  public static Duration getWeek(Number self) {
    return getWeeks(self);
  }

  /** {@code [a, b] >> c}: c runs after both a and b; returns c. */
  public static Object rightShift(List<?> self, Object downstream) {
    Dependencies.connect(self, downstream, ">>");
    return downstream;
  }

  /**
   * {@code [a, b] << c} written with a list literal: c runs before both. The compiler rewrites only
   * list literals to this call, so {@code myList << task} keeps appending as Groovy does.
   */
  public static Object upstreamOfAll(List<?> self, Object upstream) {
    Dependencies.connect(upstream, self, "<<");
    return upstream;
  }
}
