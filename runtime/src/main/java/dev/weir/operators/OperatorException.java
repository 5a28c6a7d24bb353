package dev.weir.operators;

/** A task of a built-in operator failed; the message says why, in the user's terms. */
public final class OperatorException extends RuntimeException {
  public OperatorException(String message) {
    super(message);
  }

  public OperatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
