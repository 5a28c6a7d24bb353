package dev.weir.model;

import java.util.Map;

/**
 * A named task kind from a jar in the plugins folder, found with {@link java.util.ServiceLoader}:
 * the jar lists its implementations in {@code META-INF/services/dev.weir.model.OperatorPlugin}.
 * Scripts use it as {@code operator('notify', 'slack', channel: '#data')}.
 */
public interface OperatorPlugin {

  /** The name scripts use, such as {@code slack}; letters, digits, {@code _} and {@code -}. */
  String name();

  /**
   * Creates the operator of one task from the settings the script gave, when the script is loaded.
   *
   * @param settings the named arguments of {@code operator(…)} that are not task settings
   * @throws IllegalArgumentException when a setting is missing or wrong; its message becomes the
   *     script's import error, so name the setting
   */
  Operator create(Map<String, Object> settings);
}
