package dev.weir.dsl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Turns the dependency operators into edges, whatever mix of tasks, groups and lists they get. */
final class Dependencies {
  private Dependencies() {}

  static void connect(Object upstream, Object downstream, String operator) {
    List<Node> ups = nodes(upstream, operator);
    List<Node> downs = nodes(downstream, operator);
    if (upstream instanceof Collection<?> && downstream instanceof Collection<?>) {
      throw new DslException(
          "cannot use "
              + operator
              + " between two lists of tasks; use chain(…) or a loop to say which depends on"
              + " which");
    }
    for (Node up : ups) {
      for (Node down : downs) {
        if (up.dag() != down.dag()) {
          throw new DslException(
              up.label()
                  + " belongs to dag '"
                  + up.dag().id()
                  + "' and "
                  + down.label()
                  + " to dag '"
                  + down.dag().id()
                  + "': dependencies cannot cross DAGs");
        }
        for (String from : up.exitIds()) {
          for (String to : down.entryIds()) {
            up.dag().addDependency(from, to);
          }
        }
      }
    }
  }

  /** {@code chain(a, b, c)}: a >> b >> c; neighbouring lists of equal length are paired up. */
  static void chain(Object... items) {
    for (int i = 0; i + 1 < items.length; i++) {
      Object left = items[i];
      Object right = items[i + 1];
      if (left instanceof List<?> l && right instanceof List<?> r) {
        if (l.size() != r.size()) {
          throw new DslException(
              "chain(…) pairs neighbouring lists element by element, but they have "
                  + l.size()
                  + " and "
                  + r.size()
                  + " elements");
        }
        for (int k = 0; k < l.size(); k++) {
          connect(l.get(k), r.get(k), "chain");
        }
      } else {
        connect(left, right, "chain");
      }
    }
  }

  private static List<Node> nodes(Object value, String operator) {
    List<Node> result = new ArrayList<>();
    if (value instanceof Node node) {
      result.add(node);
    } else if (value instanceof Collection<?> collection) {
      for (Object element : collection) {
        if (!(element instanceof Node node)) {
          throw new DslException(
              "a list used with "
                  + operator
                  + " may hold only tasks and groups, but it holds "
                  + Names.describe(element));
        }
        result.add(node);
      }
    } else {
      throw new DslException(
          operator
              + " takes tasks, groups or lists of them, but got "
              + Names.describe(value)
              + (value instanceof CharSequence
                  ? " (use the variable that holds the task, not its id)"
                  : ""));
    }
    return result;
  }
}
