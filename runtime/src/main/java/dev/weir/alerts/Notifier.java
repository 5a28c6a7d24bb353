package dev.weir.alerts;

/** Sends messages to one place: an email notifier's recipients or a webhook. */
interface Notifier {
  /** {@code email} or {@code webhook}: the label of the failure counter. */
  String kind();

  /** Where messages go, for logs and outcomes; never a secret such as a webhook's path. */
  String describe();

  /**
   * Sends one message; returns once it is accepted.
   *
   * @throws Exception when it is not, saying why
   */
  void send(Message message) throws Exception;
}
