package dev.weir.web;

/**
 * A request that cannot be served, with the HTTP status and a message for the caller. JSON for
 * {@code /api/} paths ({@code {"status", "title", "detail"}}), an HTML page elsewhere.
 */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }
}
