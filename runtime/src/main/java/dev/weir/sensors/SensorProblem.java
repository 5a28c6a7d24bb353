package dev.weir.sensors;

/** A sensor cannot check its condition at all; the try fails with this message alone. */
final class SensorProblem extends RuntimeException {
  SensorProblem(String message) {
    super(message);
  }

  SensorProblem(String message, Throwable cause) {
    super(message, cause);
  }
}
