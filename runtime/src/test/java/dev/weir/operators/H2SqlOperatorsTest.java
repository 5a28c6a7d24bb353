package dev.weir.operators;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

class H2SqlOperatorsTest extends SqlOperatorsContractTest {
  private static final AtomicInteger databases = new AtomicInteger();

  @Override
  void addConnections(OperatorHarness harness) {
    for (String id : new String[] {"db", "db2"}) {
      harness.connection(
          id,
          "h2",
          null,
          null,
          "mem:ops_" + databases.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
          "sa",
          "",
          Map.of());
    }
  }

  @Override
  String series(int n) {
    return "SYSTEM_RANGE(1, " + n + ")";
  }
}
