package dev.weir.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/**
 * The answer of a health check.
 *
 * @param httpStatus 200, or 503 when this Weir cannot work
 * @param body the JSON document: status, metadatabase, scheduler, workers, reasons
 */
public record HealthReport(int httpStatus, Map<String, Object> body) {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Whether nothing is wrong at all. */
  public boolean healthy() {
    return "healthy".equals(body.get("status"));
  }

  /** The body as JSON text, with ISO-8601 instants. */
  public String json() {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the health report as JSON", e);
    }
  }
}
