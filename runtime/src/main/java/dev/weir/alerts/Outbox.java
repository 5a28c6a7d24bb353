package dev.weir.alerts;

import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What delivery reads from and writes to the metadata store. */
interface Outbox {
  /** Undelivered rows, oldest first. */
  List<AlertRow> pendingAlerts(int limit);

  /** Marks rows delivered with their outcomes: {@code sent}, {@code failed: …}, … */
  void alertsDelivered(Map<Long, String> outcomes, Instant at);

  Optional<DagRunRow> run(long runPk);

  List<TaskInstanceRow> taskInstances(long runPk);
}
