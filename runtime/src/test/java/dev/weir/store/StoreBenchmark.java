package dev.weir.store;

import dev.weir.config.Settings;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures {@link MetadataStore#write(Batch)}, the scheduler's hot path: batches of 1, 10 and 100
 * task instance updates, each with the insert of the try it starts. Run it with {@code mvn -q -B
 * -pl runtime -am -Pbench-store -DskipTests test}. Arguments: seconds to measure each batch size
 * (5), and {@code postgres} to measure an embedded PostgreSQL as well as the default H2 file.
 */
public final class StoreBenchmark {
  private static final int RUNS = 50;
  private static final int TASKS_PER_RUN = 100;
  private static final int[] BATCH_SIZES = {1, 10, 100};
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration budget = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
    boolean postgres = List.of(args).contains("postgres");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(
        "Store write benchmark: %d s per batch size, %d CPUs, load average %.1f%n",
        budget.toSeconds(), os.getAvailableProcessors(), os.getSystemLoadAverage());

    Path home = Files.createTempDirectory("weir-store-bench");
    try {
      Settings h2 = Settings.load(Map.of("WEIR_HOME", home.toString()));
      try (MetadataStore store = new JdbcMetadataStore(Database.open(h2))) {
        run("H2 file, AUTO_SERVER, WRITE_DELAY=0", store, budget);
      }
      System.out.printf("H2 file size: %d KB%n", Files.size(home.resolve("weir.mv.db")) >> 10);
      if (postgres) {
        // The embedded server turns synchronous_commit off by default; Weir's users would not.
        try (EmbeddedPostgres server =
            EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start()) {
          Settings pg =
              Settings.load(
                  Map.of(
                      "WEIR_DB_URL",
                      "jdbc:postgresql://localhost:" + server.getPort() + "/postgres",
                      "WEIR_DB_USER",
                      "postgres"));
          try (MetadataStore store = new JdbcMetadataStore(Database.open(pg))) {
            run("embedded PostgreSQL 14, fsync on, synchronous_commit on", store, budget);
          }
        }
      }
    } finally {
      try (Stream<Path> paths = Files.walk(home)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  private static void run(String name, MetadataStore store, Duration budget) {
    System.out.println(name);
    long versionId = store.saveVersion("bench", "b".repeat(64), null, "dags/b.groovy", "", T0);
    List<TaskInstanceRow> instances = new ArrayList<>();
    for (int r = 0; r < RUNS; r++) {
      List<TaskInstanceRow> tasks = new ArrayList<>();
      for (int t = 0; t < TASKS_PER_RUN; t++) {
        tasks.add(
            new TaskInstanceRow(0, "task_" + t, TaskState.NONE, 0, 1, null, null, null, null));
      }
      Instant logical = T0.plus(Duration.ofHours(r));
      DagRunRow run =
          store.insertRun(
              new NewRun(
                  "bench",
                  "scheduled__" + logical,
                  RunType.SCHEDULED,
                  logical,
                  logical,
                  logical,
                  "{}",
                  logical,
                  versionId,
                  null),
              tasks);
      store.write(new Batch().run(run.withState(RunState.RUNNING, logical, null)));
      instances.addAll(store.taskInstances(run.id()));
    }
    int[] tries = new int[instances.size()];
    int next = 0;
    for (int size : BATCH_SIZES) {
      // A first pass warms the JIT and the database's caches; the second is measured.
      for (int pass = 0; pass < 2; pass++) {
        Duration length = pass == 0 ? budget.dividedBy(2) : budget;
        long batches = 0;
        long started = System.nanoTime();
        long deadline = started + length.toNanos();
        long now = started;
        while (now < deadline) {
          Batch batch = new Batch();
          for (int i = 0; i < size; i++) {
            int index = next++ % instances.size();
            TaskInstanceRow row = instances.get(index);
            int tryNumber = ++tries[index];
            Instant at = T0.plusMillis(tryNumber);
            batch.startTry(
                new TaskTryRow(
                    row.runPk(),
                    row.taskId(),
                    tryNumber,
                    TaskState.RUNNING,
                    at,
                    null,
                    "bench-host",
                    "bench-scheduler",
                    null));
            batch.instance(
                new TaskInstanceRow(
                    row.runPk(),
                    row.taskId(),
                    TaskState.RUNNING,
                    tryNumber,
                    tryNumber + 1,
                    at,
                    null,
                    null,
                    null));
          }
          store.write(batch);
          batches++;
          now = System.nanoTime();
        }
        if (pass == 1) {
          double seconds = (now - started) / 1e9;
          System.out.printf(
              "  batch of %3d updates + %3d inserts: %7.0f batches/s %8.0f rows/s  %6.2f ms/batch%n",
              size, size, batches / seconds, batches * size * 2 / seconds, seconds * 1e3 / batches);
        }
      }
    }
  }
}
