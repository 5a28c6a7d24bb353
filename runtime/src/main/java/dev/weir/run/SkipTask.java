package dev.weir.run;

/** Thrown by task code to end its try as skipped rather than failed. */
public class SkipTask extends RuntimeException {
  public SkipTask(String reason) {
    super(reason, null, false, false);
  }
}
