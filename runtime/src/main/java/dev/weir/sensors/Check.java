package dev.weir.sensors;

/** One kind of sensor's condition, checked once per poke. */
interface Check {
  /**
   * Checks the condition now.
   *
   * @throws SensorProblem when the sensor cannot check at all (a bad path, an unknown connection):
   *     the try fails with its message
   * @throws Exception what user code run by the check throws; the try fails with it
   */
  Poke poke() throws Exception;
}
