package dev.weir.state;

/** A state change that the state machine does not allow. */
public class IllegalTransitionException extends IllegalStateException {
  private final Enum<?> from;
  private final Enum<?> to;

  public IllegalTransitionException(String what, Enum<?> from, Enum<?> to) {
    super(
        what
            + " cannot go from "
            + from.name().toLowerCase(java.util.Locale.ROOT)
            + " to "
            + to.name().toLowerCase(java.util.Locale.ROOT));
    this.from = from;
    this.to = to;
  }

  public Enum<?> from() {
    return from;
  }

  public Enum<?> to() {
    return to;
  }
}
