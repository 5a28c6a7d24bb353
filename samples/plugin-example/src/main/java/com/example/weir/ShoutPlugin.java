package com.example.weir;

import dev.weir.model.Operator;
import dev.weir.model.OperatorPlugin;
import java.util.Map;

/**
 * The {@code shout} operator: {@code operator('loud', 'shout', text: 'hello {ds}', times: 2)}. Found
 * by Weir through META-INF/services/dev.weir.model.OperatorPlugin.
 */
public final class ShoutPlugin implements OperatorPlugin {
  @Override
  public String name() {
    return "shout";
  }

  @Override
  public Operator create(Map<String, Object> settings) {
    for (String key : settings.keySet()) {
      if (!key.equals("text") && !key.equals("times")) {
        throw new IllegalArgumentException("unknown setting '" + key + "' (settings: text, times)");
      }
    }
    Object text = settings.get("text");
    if (!(text instanceof String)) {
      throw new IllegalArgumentException("text is required, such as text: 'hello'");
    }
    Object times = settings.getOrDefault("times", 1);
    if (!(times instanceof Integer count) || count < 1) {
      throw new IllegalArgumentException("times takes a whole number of 1 or more, got " + times);
    }
    return new ShoutOperator((String) text, count);
  }
}
