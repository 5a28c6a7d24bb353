package com.example.weir;

import dev.weir.model.Operator;
import dev.weir.model.TaskContext;
import java.util.Locale;

/** Logs its text in capitals {@code times} times; {@code {ds}} in the text is the logical day. */
final class ShoutOperator implements Operator {
  private final String text;
  private final int times;

  ShoutOperator(String text, int times) {
    this.text = text;
    this.times = times;
  }

  @Override
  public Object execute(TaskContext ctx) {
    String loud = text.replace("{ds}", ctx.getDs()).toUpperCase(Locale.ROOT);
    for (int i = 0; i < times; i++) {
      ctx.getLog().info("{}", loud);
    }
    return loud;
  }
}
