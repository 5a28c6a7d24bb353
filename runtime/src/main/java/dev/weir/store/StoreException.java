package dev.weir.store;

/** The metadata store failed; the message says which operation and on what. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
