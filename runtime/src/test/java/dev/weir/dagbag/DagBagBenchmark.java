package dev.weir.dagbag;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures loading a folder of generated DAG files: a cold load, rescans with nothing changed, and
 * the heap that the loaded DAGs take. Run it with {@code mvn -q -B -pl runtime -am -Pbench
 * -DskipTests test} (see docs/performance.md). Arguments: the number of files (1000), and {@code
 * --command-named-args} to write {@code env MODE: 'strict'} instead of {@code env(MODE: 'strict')}:
 * a command expression with named arguments makes Groovy's parser give up its fast SLL mode and
 * parse the whole file again in full LL mode, which costs several times more.
 */
public final class DagBagBenchmark {
  private static final int RESCANS = 5;

  private DagBagBenchmark() {}

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    boolean commandNamedArgs = List.of(args).contains("--command-named-args");
    Path root = Files.createTempDirectory("weir-dagbag-bench");
    try {
      Path dags = Files.createDirectory(root.resolve("dags"));
      for (int i = 0; i < files; i++) {
        Path folder = dags.resolve("team_" + (i % 10));
        Files.createDirectories(folder);
        String script = script(i);
        if (commandNamedArgs) {
          script = script.replace("env(MODE: 'strict')", "env MODE: 'strict'");
        }
        Files.writeString(folder.resolve("pipeline_%05d.groovy".formatted(i)), script);
      }
      System.out.println(
          commandNamedArgs
              ? "scripts call env MODE: 'strict' (Groovy parses such files in its slow LL mode)"
              : "scripts call env(MODE: 'strict')");
      run(dags, files);
    } finally {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  private static void run(Path dags, int files) throws IOException, InterruptedException {
    DagBagOptions options = DagBagOptions.defaults();
    System.out.printf(
        "DagBag benchmark: %d files of 10 tasks, parallelism %d, max heap %d MB%n",
        files, options.parallelism(), Runtime.getRuntime().maxMemory() >> 20);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf("system load average before: %.1f%n", os.getSystemLoadAverage());
    try (DagBag bag = new DagBag(dags, options)) {
      long cpuBefore = os.getProcessCpuTime();
      long started = System.nanoTime();
      RefreshResult cold = bag.refresh();
      double coldMs = (System.nanoTime() - started) / 1e6;
      double cpuMs = (os.getProcessCpuTime() - cpuBefore) / 1e6;
      if (cold.dagCount() != files || cold.importErrorCount() != 0) {
        throw new IllegalStateException(
            "expected " + files + " DAGs and no import errors, got " + cold + bag.importErrors());
      }
      System.out.printf(
          "cold load:        %8.0f ms  (%.2f ms per file; %.2f ms CPU per file, all threads)%n",
          coldMs, coldMs / files, cpuMs / files);

      // Files younger than 2 s are hashed again on the next rescan, by design.
      started = System.nanoTime();
      bag.refresh();
      System.out.printf(
          "first rescan:     %8.1f ms  (re-hashes files modified in the last 2 s)%n",
          (System.nanoTime() - started) / 1e6);

      List<Double> rescans = new ArrayList<>();
      for (int i = 0; i < RESCANS; i++) {
        started = System.nanoTime();
        RefreshResult rescan = bag.refresh();
        rescans.add((System.nanoTime() - started) / 1e6);
        if (rescan.changedAnything()) {
          throw new IllegalStateException("nothing changed, yet: " + rescan);
        }
      }
      rescans.sort(null);
      System.out.printf(
          "unchanged rescan: %8.1f ms  median of %d (min %.1f, max %.1f)%n",
          rescans.get(RESCANS / 2), RESCANS, rescans.get(0), rescans.get(RESCANS - 1));

      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(100);
      }
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.printf("heap used after GC with all loaded: %d MB%n", used >> 20);
      System.out.printf("heap peak (sum of pool peaks):      %d MB%n", peak >> 20);
      System.out.printf("DAGs loaded: %d%n", bag.dags().size());
      System.out.printf("system load average after: %.1f%n", os.getSystemLoadAverage());
    }
  }

  /** A realistic DAG: settings, bash and Groovy tasks, a group and fan-out/fan-in dependencies. */
  static String script(int n) {
    return """
        // Generated pipeline %1$d: extract, transform and load one partition.
        dag('pipeline_%1$05d') {
            description 'Partition %1$d: extract, clean, enrich and load'
            schedule none()
            tags 'generated', 'team_%2$d'
            maxActiveRuns 1
            defaults { retries 2; retryDelay 1.minute; owner 'team_%2$d' }

            def extract = bash('extract') { command 'fetch --part %1$d --day {{ ds }} > /tmp/p%1$d.csv' }
            def check = task('check') { ctx -> ctx.log.info("checking partition %1$d") }
            def transform = group('transform') {
                def clean = bash('clean') { command 'clean.sh /tmp/p%1$d.csv' }
                def enrich = task('enrich', retries: 3) { ctx -> [1, 2, 3].sum() }
                def dedupe = bash('dedupe') { command 'dedupe.sh'; env(MODE: 'strict') }
                clean >> [enrich, dedupe]
            }
            def load = bash('load') { command 'load.sh /tmp/p%1$d.csv'; executionTimeout 30.minutes }
            def audit = task('audit') { ctx -> ctx.log.info('audited') }
            def report = task('report') { ctx -> 'ok' }
            def notify = empty('notify')
            def cleanup = bash('cleanup') { command 'rm -f /tmp/p%1$d.csv'; triggerRule 'all_done' }
            extract >> check >> transform >> load >> [audit, report]
            [audit, report] >> notify
            notify >> cleanup
        }
        """
        .formatted(n, n % 10);
  }
}
