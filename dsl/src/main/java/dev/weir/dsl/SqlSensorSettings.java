package dev.weir.dsl;

import java.util.ArrayList;
import java.util.List;

/** The settings of {@code sqlSensor('id') { conn 'warehouse'; query 'select …' }}. */
public final class SqlSensorSettings extends SensorSettings {
  private String conn;
  private String query;
  private final List<Object> parameters = new ArrayList<>();

  SqlSensorSettings(TaskSettings parent) {
    super(parent, List.of("conn", "query", "parameters"));
  }

  /** The id of the database connection. */
  public void conn(Object value) {
    conn = text("conn", value);
  }

  /** The query; the sensor is done when its first cell is truthy. A template. */
  public void query(Object value) {
    query = text("query", value);
  }

  /** Values bound to the query's {@code ?} placeholders in order; strings are templates. */
  public void parameters(List<?> values) {
    parameters.clear();
    parameters.addAll(values);
  }

  @Override
  void set(String name, Object value) {
    switch (name) {
      case "conn" -> conn(value);
      case "query" -> query(value);
      case "parameters" -> {
        if (!(value instanceof List<?> list)) {
          throw new DslException(
              "parameters takes a list such as [1, '{{ ds }}'], got " + Names.describe(value));
        }
        parameters(list);
      }
      default -> super.set(name, value);
    }
  }

  String conn() {
    return conn;
  }

  String query() {
    return query;
  }

  List<Object> parameterValues() {
    return parameters;
  }
}
