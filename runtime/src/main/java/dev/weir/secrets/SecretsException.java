package dev.weir.secrets;

/**
 * A connection or variable that cannot be found, parsed or decrypted; the message names it. An
 * {@link IllegalArgumentException}, so that a task asking for it fails with this message alone.
 */
public final class SecretsException extends IllegalArgumentException {
  public SecretsException(String message) {
    super(message);
  }
}
