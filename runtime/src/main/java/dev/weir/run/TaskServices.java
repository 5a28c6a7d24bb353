package dev.weir.run;

import dev.weir.model.Connection;
import java.util.Optional;

/**
 * What a running task may reach beyond its run: connections, variables and the XCom values of other
 * tasks. The scheduler backs it with the metadata store; {@code weir dags test} with the
 * environment and memory.
 */
public interface TaskServices {

  /**
   * A connection by id.
   *
   * @throws IllegalArgumentException naming the id when there is no such connection
   */
  Connection connection(String id);

  /** A variable's value by key, or empty when there is none. */
  Optional<String> variable(String key);

  /** The XCom values of the tasks of runs. */
  XComSource xcoms();

  /** Replaces every known secret in a line of task log text with {@code ***}. */
  String mask(String text);

  /**
   * Services with no connections or variables but those of the environment, for tests and runs
   * without a store.
   */
  static TaskServices local(XComSource xcoms) {
    return of(
        id -> {
          throw new IllegalArgumentException("no connection '" + id + "'");
        },
        key -> Optional.empty(),
        xcoms,
        java.util.function.UnaryOperator.identity());
  }

  /** Services made of their parts. */
  static TaskServices of(
      java.util.function.Function<String, Connection> connections,
      java.util.function.Function<String, Optional<String>> variables,
      XComSource xcoms,
      java.util.function.UnaryOperator<String> masker) {
    return new TaskServices() {
      @Override
      public Connection connection(String id) {
        return connections.apply(id);
      }

      @Override
      public Optional<String> variable(String key) {
        return variables.apply(key);
      }

      @Override
      public XComSource xcoms() {
        return xcoms;
      }

      @Override
      public String mask(String text) {
        return masker.apply(text);
      }
    };
  }
}
