package dev.weir.run;

import dev.weir.model.DagSpec;
import dev.weir.model.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a run's conf against its DAG's params when the run is triggered: each value has its
 * param's type and is one of its allowed values, and every param without a default is given. Conf
 * keys that name no param pass through, as in Airflow.
 */
public final class Params {
  private Params() {}

  /**
   * @throws IllegalArgumentException naming every param that is wrong and why
   */
  public static void validate(DagSpec dag, Map<String, Object> conf) {
    List<String> problems = new ArrayList<>();
    for (ParamSpec param : dag.params().values()) {
      String name = param.name();
      if (!conf.containsKey(name)) {
        if (param.defaultValue() == null) {
          problems.add(
              "param '"
                  + name
                  + "' is required: pass it in the conf, such as {\""
                  + name
                  + "\": …}");
        }
        continue;
      }
      Object value = conf.get(name);
      String actual = value == null ? "null" : ParamSpec.typeOf(value);
      if (!fits(param.type(), actual)) {
        problems.add(
            "param '"
                + name
                + "' must be "
                + article(param.type())
                + ", got "
                + show(value)
                + " ("
                + actual
                + ")");
        continue;
      }
      if (!param.allowed().isEmpty() && !allowed(param.allowed(), value)) {
        problems.add(
            "param '" + name + "' must be one of " + param.allowed() + ", got " + show(value));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "conf does not fit the params of DAG '" + dag.id() + "': " + String.join("; ", problems));
    }
  }

  private static boolean fits(String type, String actual) {
    return type.equals(actual) || (type.equals("number") && actual.equals("integer"));
  }

  // JSON gives 3 for 3L and 3.0 for 3.0f: compare numbers by value.
  private static boolean allowed(List<Object> allowed, Object value) {
    for (Object candidate : allowed) {
      if (candidate instanceof Number a && value instanceof Number b) {
        if (new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString()))
            == 0) {
          return true;
        }
      } else if (String.valueOf(candidate).equals(String.valueOf(value))
          && ParamSpec.typeOf(candidate).equals(ParamSpec.typeOf(value))) {
        return true;
      }
    }
    return false;
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "array", "object" -> "an " + type;
      default -> "a " + type;
    };
  }

  private static String show(Object value) {
    return value instanceof CharSequence text ? "\"" + text + "\"" : String.valueOf(value);
  }
}
