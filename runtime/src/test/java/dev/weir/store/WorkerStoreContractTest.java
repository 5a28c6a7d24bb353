package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} must do with worker heartbeats, run against each database Weir
 * supports, with the JVM in a zone east of UTC as in {@link MetadataStoreContractTest}.
 */
abstract class WorkerStoreContractTest extends StoreContract {
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00.123456Z");

  @Test
  void should_have_no_workers_at_first() {
    assertThat(store.workers()).isEmpty();
  }

  @Test
  void should_insert_a_first_heartbeat_and_replace_it_with_the_next() {
    WorkerRow first = new WorkerRow("w-1", "host-a", 42, 16, 0, T0, T0);
    store.saveWorker(first);
    assertThat(store.workers()).containsExactly(first);

    WorkerRow next = new WorkerRow("w-1", "host-a", 42, 16, 3, T0, T0.plus(Duration.ofSeconds(1)));
    store.saveWorker(next);

    assertThat(store.workers()).containsExactly(next);
  }

  @Test
  void should_list_workers_by_id_and_remove_only_the_one_named() {
    WorkerRow b = new WorkerRow("w-b", "host-b", 7, 4, 1, T0, T0);
    WorkerRow a = new WorkerRow("w-a", "host-a", 8, 8, 2, T0, T0.plusSeconds(5));
    store.saveWorker(b);
    store.saveWorker(a);
    assertThat(store.workers()).containsExactly(a, b);

    store.removeWorker("w-a");
    store.removeWorker("unknown"); // nothing to remove is no error

    assertThat(store.workers()).containsExactly(b);
  }
}
