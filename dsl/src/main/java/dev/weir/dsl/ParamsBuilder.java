package dev.weir.dsl;

import dev.weir.model.ParamSpec;
import groovy.lang.MissingMethodException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delegate of {@code params { … }}: each line names a parameter and its default, such as {@code
 * region 'eu', description: 'Sales region', allowed: ['eu', 'us']}.
 */
public final class ParamsBuilder {
  private static final List<String> OPTIONS = List.of("type", "description", "allowed");

  private final Map<String, ParamSpec> params = new LinkedHashMap<>();

  /** Declares a parameter explicitly, for names that are not valid Groovy method names. */
  public void param(Map<String, ?> options, String name, Object defaultValue) {
    add(name, options, defaultValue);
  }

  /** Declares a parameter with a default and no options. */
  public void param(String name, Object defaultValue) {
    add(name, Map.of(), defaultValue);
  }

  /** Any other call declares a parameter of that name: {@code limit 100, type: 'integer'}. */
  public Object methodMissing(String name, Object args) {
    Object[] values = (Object[]) args;
    if (values.length == 1
        && values[0] instanceof Map<?, ?> options
        && !options.isEmpty()
        && options.keySet().stream().allMatch(OPTIONS::contains)) {
      add(name, options, null);
    } else if (values.length == 1) {
      add(name, Map.of(), values[0]);
    } else if (values.length == 2 && values[0] instanceof Map<?, ?> options) {
      add(name, options, values[1]);
    } else {
      throw new MissingMethodException(name, ParamsBuilder.class, values);
    }
    return null;
  }

  Map<String, ParamSpec> params() {
    return params;
  }

  private void add(String name, Map<?, ?> options, Object defaultValue) {
    for (Object key : options.keySet()) {
      if (!OPTIONS.contains(String.valueOf(key))) {
        throw new DslException(
            "param '"
                + name
                + "' has unknown option '"
                + key
                + "'"
                + Names.didYouMean(String.valueOf(key), OPTIONS)
                + " (options: type, description, allowed)");
      }
    }
    String type =
        options.containsKey("type")
            ? String.valueOf(options.get("type"))
            : defaultValue == null ? "string" : ParamSpec.typeOf(defaultValue);
    if (!ParamSpec.TYPES.contains(type)) {
      throw new DslException(
          "param '"
              + name
              + "' has unknown type '"
              + type
              + "'"
              + Names.didYouMean(type, ParamSpec.TYPES)
              + " (types: "
              + String.join(", ", ParamSpec.TYPES)
              + ")");
    }
    if (defaultValue != null && !compatible(type, ParamSpec.typeOf(defaultValue))) {
      throw new DslException(
          "param '"
              + name
              + "' is of type "
              + type
              + " but its default is "
              + Names.describe(defaultValue));
    }
    Object allowed = options.get("allowed");
    if (allowed != null && !(allowed instanceof Collection<?>)) {
      throw new DslException(
          "param '" + name + "': allowed takes a list of values, got " + Names.describe(allowed));
    }
    List<Object> allowedValues = allowed == null ? List.of() : List.copyOf((Collection<?>) allowed);
    if (defaultValue != null && !allowedValues.isEmpty() && !allowedValues.contains(defaultValue)) {
      throw new DslException(
          "param '"
              + name
              + "' has default "
              + Names.describe(defaultValue)
              + " which is not one of its allowed values "
              + allowedValues);
    }
    Object description = options.get("description");
    if (params.containsKey(name)) {
      throw new DslException("param '" + name + "' is declared twice");
    }
    params.put(
        name,
        new ParamSpec(
            name,
            defaultValue instanceof CharSequence s ? s.toString() : defaultValue,
            type,
            description == null ? null : description.toString(),
            allowedValues));
  }

  private static boolean compatible(String declared, String actual) {
    return declared.equals(actual) || (declared.equals("number") && actual.equals("integer"));
  }
}
