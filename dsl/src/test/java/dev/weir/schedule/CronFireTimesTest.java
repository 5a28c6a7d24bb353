package dev.weir.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the optimised search against a brute-force list of fire instants built from the policy.
 */
class CronFireTimesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 * * * *|Europe/Berlin|2025",
        "*/15 * * * *|Europe/Berlin|2025",
        "30 2 * * *|Europe/Berlin|2025",
        "*/15 2 * * *|Europe/Berlin|2025",
        "0 2,3 * * *|Europe/Berlin|2025",
        "30 1 * * *|America/New_York|2025",
        "0 * * * *|America/New_York|2025",
        "45 */2 * * *|America/New_York|2025",
        "*/10 * * * *|Australia/Lord_Howe|2025",
        "15 2 * * *|Australia/Lord_Howe|2025",
        "0 * * * *|Asia/Kolkata|2025",
        "0 0 * * 0|UTC|2025",
        "0 * * * *|Pacific/Apia|2011",
        "0 12 * * *|Pacific/Apia|2011"
      })
  void should_agree_with_brute_force_fire_instants(String expression, String zoneId, int year) {
    CronFields cron = CronFields.parse(expression);
    ZoneId zone = ZoneId.of(zoneId);
    NavigableSet<Instant> expected =
        reference(
            cron,
            zone,
            LocalDateTime.of(year - 1, 12, 20, 0, 0),
            LocalDateTime.of(year + 1, 1, 10, 0, 0));
    Instant from = LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
    Instant to = LocalDateTime.of(year, 12, 31, 0, 0).toInstant(ZoneOffset.UTC);
    CronFireTimes fires = new CronFireTimes(cron, zone);

    List<Instant> queries = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < 3000; i++) {
      queries.add(
          from.plusSeconds((long) (random.nextDouble() * Duration.between(from, to).getSeconds())));
    }
    for (Instant fire : expected.subSet(from, true, to, true)) {
      if (nearTransition(zone.getRules(), fire)) {
        queries.add(fire);
        queries.add(fire.minusSeconds(1));
        queries.add(fire.plusSeconds(1));
      }
    }

    for (Instant t : queries) {
      assertThat(fires.next(t, false)).as("next after %s", t).isEqualTo(expected.higher(t));
      assertThat(fires.next(t, true)).as("next at %s", t).isEqualTo(expected.ceiling(t));
      assertThat(fires.previous(t, false)).as("previous before %s", t).isEqualTo(expected.lower(t));
      assertThat(fires.previous(t, true)).as("previous at %s", t).isEqualTo(expected.floor(t));
    }
  }

  /** The DST policy written the plain way: every matching wall time mapped with getValidOffsets. */
  private static NavigableSet<Instant> reference(
      CronFields cron, ZoneId zone, LocalDateTime from, LocalDateTime to) {
    ZoneRules rules = zone.getRules();
    NavigableSet<Instant> instants = new TreeSet<>();
    for (LocalDateTime wall = cron.next(from); wall.isBefore(to); wall = cron.next(wall)) {
      List<ZoneOffset> offsets = rules.getValidOffsets(wall);
      if (offsets.isEmpty()) {
        instants.add(rules.getTransition(wall).getInstant());
      } else if (offsets.size() == 1 || cron.everyHour()) {
        for (ZoneOffset offset : offsets) {
          instants.add(wall.toInstant(offset));
        }
      } else {
        LocalDateTime overlapping = wall;
        instants.add(
            offsets.stream().map(overlapping::toInstant).min(Comparator.naturalOrder()).get());
      }
    }
    return instants;
  }

  private static boolean nearTransition(ZoneRules rules, Instant instant) {
    ZoneOffsetTransition next = rules.nextTransition(instant.minus(Duration.ofDays(3)));
    return next != null && next.getInstant().isBefore(instant.plus(Duration.ofDays(3)));
  }
}
