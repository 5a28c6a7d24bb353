package dev.weir.run;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The one way Weir writes a date-time for people and for tasks. */
public final class Dates {
  // Always with seconds and a numeric offset (+00:00, never Z), as Airflow writes them.
  private static final DateTimeFormatter ISO_WITH_OFFSET =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private Dates() {}

  public static String iso(ZonedDateTime dateTime) {
    return dateTime.format(ISO_WITH_OFFSET);
  }

  public static String iso(Instant instant, ZoneId zone) {
    return iso(instant.atZone(zone));
  }
}
