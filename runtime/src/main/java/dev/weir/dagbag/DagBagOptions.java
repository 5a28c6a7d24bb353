package dev.weir.dagbag;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DagBag} loads its folder.
 *
 * @param parseTimeout how long one file may take to compile and run before it becomes an import
 *     error; its thread is then interrupted
 * @param parallelism how many files are compiled at the same time
 */
public record DagBagOptions(Duration parseTimeout, int parallelism) {

  public DagBagOptions {
    Objects.requireNonNull(parseTimeout, "parseTimeout");
    if (parseTimeout.isNegative() || parseTimeout.isZero()) {
      throw new IllegalArgumentException(
          "parseTimeout must be positive, such as 30 s; got " + parseTimeout);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1; got " + parallelism);
    }
  }

  /** A 30 s parse timeout and one compiling thread per available processor. */
  public static DagBagOptions defaults() {
    return new DagBagOptions(Duration.ofSeconds(30), Runtime.getRuntime().availableProcessors());
  }

  /** These options with another parse timeout. */
  public DagBagOptions withParseTimeout(Duration value) {
    return new DagBagOptions(value, parallelism);
  }

  /** These options with another parallelism. */
  public DagBagOptions withParallelism(int value) {
    return new DagBagOptions(parseTimeout, value);
  }
}
