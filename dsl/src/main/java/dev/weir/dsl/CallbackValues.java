package dev.weir.dsl;

import dev.weir.model.Callback;
import groovy.lang.Closure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Turns what a script gives {@code onFailure} and its siblings into callbacks. */
final class CallbackValues {
  private CallbackValues() {}

  /**
   * Closures, notifiers, or lists of them, in order. An empty list is allowed: it sets "no
   * callbacks", which replaces inherited ones.
   */
  static List<Callback> of(String setting, Object... values) {
    List<Callback> callbacks = new ArrayList<>();
    if (values != null) {
      for (Object value : values) {
        add(setting, value, callbacks);
      }
    }
    return callbacks;
  }

  private static void add(String setting, Object value, List<Callback> callbacks) {
    if (value instanceof Collection<?> many) {
      for (Object item : many) {
        add(setting, item, callbacks);
      }
    } else if (value instanceof Closure<?> body) {
      if (body.getMaximumNumberOfParameters() > 1) {
        throw new DslException(
            "the closure of " + setting + " takes at most one parameter, the callback context");
      }
      callbacks.add(new Callback.Code(body));
    } else if (value instanceof Callback callback) {
      callbacks.add(callback);
    } else if (value != null) {
      throw new DslException(
          setting
              + " takes a closure { ctx -> … }, email(to: …), webhook(…) or a list of them, got "
              + Names.describe(value));
    }
  }
}
