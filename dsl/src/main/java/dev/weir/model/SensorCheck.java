package dev.weir.model;

import groovy.lang.Closure;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a sensor checks at each poke. Strings documented as templates are rendered at run time, once
 * per poke.
 */
public sealed interface SensorCheck {

  /** The keyword that declares this kind of sensor, such as {@code fileSensor}. */
  String kind();

  /**
   * Groovy code: the sensor is done when the closure's value is Groovy-true. A value other than a
   * boolean becomes the task's result.
   */
  record Code(Closure<?> body) implements SensorCheck {
    @Override
    public String kind() {
      return "sensor";
    }
  }

  /**
   * A file, or any file matching a glob, exists.
   *
   * @param path a template; may hold {@code *}, {@code ?}, {@code [..]}, {@code {a,b}} and {@code
   *     **}
   * @param baseDir a template; what a relative path is resolved against, or null
   */
  record File(String path, String baseDir) implements SensorCheck {
    @Override
    public String kind() {
      return "fileSensor";
    }
  }

  /**
   * A query's first cell is truthy: not null, not zero, not an empty string, not {@code false},
   * {@code 'false'} or {@code '0'}.
   *
   * @param query a template
   * @param parameters bound to the query's {@code ?} in order; string values are templates
   */
  record Sql(String conn, String query, List<Object> parameters) implements SensorCheck {
    public Sql {
      parameters = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
    }

    @Override
    public String kind() {
      return "sqlSensor";
    }
  }

  /**
   * An HTTP request answers with the expected status (and, when given, a body the check accepts).
   *
   * @param conn a connection whose host, port and schema give the base URL, or null
   * @param url a base URL template, or null when conn is given
   * @param endpoint a template appended to the base URL, or null
   * @param headers header values are templates
   * @param responseCheck a closure taking the body (a String) and returning Groovy-true when ready,
   *     or null
   */
  record Http(
      String conn,
      String url,
      String endpoint,
      String method,
      Map<String, String> headers,
      int expectStatus,
      Closure<?> responseCheck)
      implements SensorCheck {
    public Http {
      headers = Map.copyOf(headers);
    }

    @Override
    public String kind() {
      return "httpSensor";
    }
  }

  /**
   * A task of another DAG (or that DAG's whole run, when {@code externalTaskId} is null) at the
   * same logical date, shifted back by {@code executionDelta}, reaches one of {@code
   * allowedStates}. Reaching one of {@code failedStates} fails the sensor at once.
   */
  record ExternalTask(
      String externalDagId,
      String externalTaskId,
      List<String> allowedStates,
      List<String> failedStates,
      Duration executionDelta)
      implements SensorCheck {
    public ExternalTask {
      allowedStates = List.copyOf(allowedStates);
      failedStates = List.copyOf(failedStates);
      executionDelta = executionDelta == null ? Duration.ZERO : executionDelta;
    }

    @Override
    public String kind() {
      return "externalTaskSensor";
    }
  }

  /**
   * The clock has passed a target time: a template giving a date-time, or a duration after the end
   * of the run's data interval (exactly one of the two is set).
   */
  record DateTime(String targetTime, Duration afterIntervalEnd) implements SensorCheck {
    @Override
    public String kind() {
      return "dateTimeSensor";
    }
  }
}
