package dev.weir.scheduler;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.model.DagSpec;
import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import dev.weir.store.Database;
import dev.weir.store.MetadataStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The scheduler benchmarks: hop latency (B1), throughput on H2 and PostgreSQL (B2), catchup (B3),
 * shell tasks against {@code make -j2} (B4) and an idle daemon (B5). Each runs a real daemon (a
 * real store in a temporary WEIR_HOME, the real worker pool, loop and clock) in this JVM, except
 * B5, whose daemon is a child JVM. Run it with {@code mvn -q -B -pl runtime -am -Pbench-scheduler
 * -DskipTests test} (see docs/performance.md).
 *
 * <p>Before measuring, it warms the JIT up as a long-running daemon is warm: {@code --warmup N}
 * rounds (1) of 2,000 no-op Groovy tasks, and before B4 of 100 bash tasks, not measured. Other
 * arguments: {@code --repeat N} (3), {@code --only B1,B3} (all), {@code --idle-seconds S} (60),
 * {@code --no-postgres}, {@code --temp DIR} (where WEIR_HOME and the DAGs folders go; the default
 * temporary folder).
 */
public final class SchedulerBenchmark {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final int CHAIN_LENGTH = 200;
  private static final int THROUGHPUT_RUNS = 100;
  private static final int WARM_UP_RUNS = 20;
  private static final int WARM_UP_SHELL_TASKS = 100;
  private static final int THROUGHPUT_MIDDLE = 98;
  private static final int CATCHUP_RUNS = 365 * 24;
  private static final int SHELL_TASKS = 500;
  private static final int IDLE_DAGS = 100;
  private static final Duration IDLE_WARM_UP = Duration.ofSeconds(15);

  /** When each task of the B1 chain began, in {@link System#nanoTime()}; set by the tasks. */
  private static final AtomicLongArray MARKS = new AtomicLongArray(CHAIN_LENGTH + 1);

  private SchedulerBenchmark() {}

  /** Called by task {@code t<i>} of the B1 chain as its only statement. */
  public static void mark(int task) {
    MARKS.set(task, System.nanoTime());
  }

  /** One measured figure, with its goal. */
  private record Row(String name, String unit, String goal, Goal test, List<Double> values) {
    double median() {
      return SchedulerBenchmark.median(values);
    }
  }

  /** A goal on the median: at most or at least a value, or none. */
  private record Goal(double limit, boolean atMost) {
    static final Goal NONE = new Goal(Double.NaN, true);

    boolean met(double value) {
      return atMost ? value <= limit : value >= limit;
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final AtomicInteger temps = new AtomicInteger();
  private Path root;

  public static void main(String[] arguments) throws Exception {
    // Maven passes -Dbench.args="--temp /dev/shm" as one argument: split it.
    String[] args = String.join(" ", arguments).strip().split("\\s+");
    int repeat = 3;
    int warmUp = 1;
    Set<String> only = Set.of("B1", "B2", "B3", "B4", "B5", "B6");
    int idleSeconds = 60;
    boolean postgres = true;
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i].strip()) {
        case "--repeat" -> repeat = Integer.parseInt(args[++i].strip());
        case "--only" -> {
          String list = args[++i].strip();
          if (!list.isEmpty() && !list.equals("all")) {
            only = Set.of(list.toUpperCase(Locale.ROOT).split(","));
          }
        }
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++i].strip());
        case "--warmup" -> warmUp = Integer.parseInt(args[++i].strip());
        case "--no-postgres" -> postgres = false;
        case "--temp" -> temp = Path.of(args[++i].strip());
        case "" -> {}
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    new SchedulerBenchmark().run(temp, warmUp, repeat, only, idleSeconds, postgres);
    System.exit(0); // embedded PostgreSQL and H2 leave non-daemon threads behind
  }

  private void run(
      Path temp, int warmUp, int repeat, Set<String> only, int idleSeconds, boolean postgres)
      throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(
        "Scheduler benchmark: %d repetitions, %d CPUs, Java %s, JVM options %s, load average %.1f%n",
        repeat,
        os.getAvailableProcessors(),
        Runtime.version(),
        jvmOptions(),
        os.getSystemLoadAverage());
    root = Files.createTempDirectory(temp, "weir-scheduler-bench");
    System.out.println("WEIR_HOME and DAGs folders in " + root);
    try {
      for (int i = 1; i <= warmUp; i++) {
        long started = System.nanoTime();
        throughput(WARM_UP_RUNS, null);
        System.out.printf(
            "warm-up round %d: %d Groovy tasks in %.1f s (not measured)%n",
            i, WARM_UP_RUNS * (THROUGHPUT_MIDDLE + 2), (System.nanoTime() - started) / 1e9);
      }
      // One benchmark after the other, B4 last of those in this JVM: every bash try deletes its
      // temporary folder, and on ext4 without a journal (this machine) the inodes deleted in the
      // last minutes make creating files, such as the other benchmarks' task logs, slower.
      for (int i = 1; i <= repeat && only.contains("B1"); i++) {
        hops(i);
      }
      for (int i = 1; i <= repeat && only.contains("B2"); i++) {
        recordThroughput(i, "H2", throughput(THROUGHPUT_RUNS, null));
      }
      if (only.contains("B2") && postgres) {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
          for (int i = 1; i <= repeat; i++) {
            recordThroughput(i, "PostgreSQL", throughput(THROUGHPUT_RUNS, server));
          }
        }
      }
      for (int i = 1; i <= repeat && only.contains("B6"); i++) {
        mapped(i);
      }
      for (int i = 1; i <= repeat && only.contains("B3"); i++) {
        catchup(i);
      }
      if (only.contains("B4")) {
        for (int i = 1; i <= warmUp; i++) {
          long started = System.nanoTime();
          shell(WARM_UP_SHELL_TASKS);
          System.out.printf(
              "warm-up round %d: %d bash tasks in %.1f s (not measured)%n",
              i, WARM_UP_SHELL_TASKS + 2, (System.nanoTime() - started) / 1e9);
        }
        for (int i = 1; i <= repeat; i++) {
          recordShell(i, shell(SHELL_TASKS), make(SHELL_TASKS));
        }
      }
      for (int i = 1; i <= repeat && only.contains("B5"); i++) {
        idle(i, Duration.ofSeconds(idleSeconds));
      }
    } finally {
      delete(root);
    }
    System.out.printf("load average after: %.1f%n%n", os.getSystemLoadAverage());
    printTable();
  }

  // B1: hop latency along a chain of no-op Groovy tasks.

  private void hops(int repetition) throws Exception {
    Path dags = newFolder("hops-dags");
    StringBuilder script =
        new StringBuilder(
            "dag('hops') {\n schedule none()\n pausedAtCreation false\n def previous = null\n");
    script
        .append(" (1..")
        .append(CHAIN_LENGTH)
        .append(").each { i ->\n")
        .append("  def t = task('t' + i) { dev.weir.scheduler.SchedulerBenchmark.mark(i) }\n")
        .append("  if (previous != null) { previous >> t }\n")
        .append("  previous = t\n }\n}\n");
    Files.writeString(dags.resolve("hops.groovy"), script);
    for (int i = 0; i < MARKS.length(); i++) {
      MARKS.set(i, 0);
    }
    Map<String, Span> tries;
    try (Daemon daemon = new Daemon(dags, Map.of(), null)) {
      DagRunRow run = daemon.trigger("hops", 1).get(0);
      daemon.await("the chain's run ends", () -> daemon.finished(run));
      daemon.expectSuccess(run);
      tries = daemon.tryTimes();
    }
    List<Double> hops = new ArrayList<>();
    List<Double> storeHops = new ArrayList<>();
    for (int i = 1; i < CHAIN_LENGTH; i++) {
      hops.add((MARKS.get(i + 1) - MARKS.get(i)) / 1e6);
      Instant end = tries.get("t" + i).last();
      Instant nextStart = tries.get("t" + (i + 1)).first();
      storeHops.add(Duration.between(end, nextStart).toNanos() / 1e6);
    }
    double median = median(hops);
    double p95 = percentile(hops, 95);
    System.out.printf(
        "B1 #%d: hop median %.2f ms, p95 %.2f ms, max %.2f ms; in the store (end_date to the"
            + " next start_date, the scheduler's part) median %.2f ms, p95 %.2f ms%n",
        repetition,
        median,
        p95,
        Collections.max(hops),
        median(storeHops),
        percentile(storeHops, 95));
    add("B1 hop latency, median", "ms", "≤ 5", new Goal(5, true), median);
    add("B1 hop latency, p95", "ms", "—", Goal.NONE, p95);
  }

  // B2: throughput of 100 runs of 100 no-op Groovy tasks (1 → 98 → 1).

  /** What one throughput run measured. */
  private record Throughput(int tasks, Span span, CpuTimes cpu) {}

  private Throughput throughput(int runCount, EmbeddedPostgres postgres) throws Exception {
    Path dags = newFolder("throughput-dags");
    Files.writeString(
        dags.resolve("throughput.groovy"),
        "dag('throughput') {\n schedule none()\n pausedAtCreation false\n"
            + " maxActiveRuns "
            + runCount
            + "\n maxActiveTasks 1000\n"
            + " def first = task('first') { }\n def last = task('last') { }\n"
            + " (1.."
            + THROUGHPUT_MIDDLE
            + ").each { i -> first >> task('t' + i) { } >> last }\n}\n");
    String url = null;
    if (postgres != null) {
      String name = "weir_bench_" + temps.incrementAndGet();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement statement = c.createStatement()) {
        statement.execute("CREATE DATABASE " + name);
      }
      url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
    }
    Span span;
    CpuTimes cpu;
    try (Daemon daemon = new Daemon(dags, Map.of(), url)) {
      CpuTimes before = CpuTimes.now();
      List<DagRunRow> runs = daemon.trigger("throughput", runCount);
      daemon.await("all runs end", daemon::idle);
      cpu = CpuTimes.now().minus(before);
      runs.forEach(daemon::expectSuccess);
      span = daemon.trySpan();
    }
    int tasks = runCount * (THROUGHPUT_MIDDLE + 2);
    if (span.tries() != tasks) {
      throw new IllegalStateException("expected " + tasks + " tries, found " + span.tries());
    }
    return new Throughput(tasks, span, cpu);
  }

  private void recordThroughput(int repetition, String storeName, Throughput result) {
    double seconds = result.span().seconds();
    double perSecond = result.tasks() / seconds;
    System.out.printf(
        "B2 %s #%d: %d tasks in %.2f s: %.0f tasks/s; CPU per task: %s%n",
        storeName,
        repetition,
        result.tasks(),
        seconds,
        perSecond,
        result.cpu().per(result.tasks()));
    boolean h2 = storeName.equals("H2");
    add(
        "B2 throughput, " + storeName,
        "tasks/s",
        h2 ? "≥ 2,000" : "≥ 1,000",
        new Goal(h2 ? 2000 : 1000, false),
        perSecond);
  }

  // B6: mapped-task throughput: runs of 1 → 1,000 mapped instances over its result → 1.

  private static final int MAPPED_RUNS = 10;
  private static final int MAPPED_ITEMS = 1000;

  private void mapped(int repetition) throws Exception {
    Path dags = newFolder("mapped-dags");
    Files.writeString(
        dags.resolve("mapped.groovy"),
        "dag('mapped') {\n schedule none()\n pausedAtCreation false\n maxActiveRuns "
            + MAPPED_RUNS
            + "\n maxActiveTasks 1000\n"
            + " def items = task('items') { (1.."
            + MAPPED_ITEMS
            + ").toList() }\n"
            + " def each = task('each', expand: items) { ctx -> ctx.item * 2 }\n"
            + " def total = task('total') { ctx -> ctx.xcom.pull('each').sum() }\n"
            + " items >> each >> total\n}\n");
    Span span;
    try (Daemon daemon = new Daemon(dags, Map.of(), null)) {
      List<DagRunRow> runs = daemon.trigger("mapped", MAPPED_RUNS);
      daemon.await("all runs end", daemon::idle);
      runs.forEach(daemon::expectSuccess);
      span = daemon.trySpan();
    }
    int tasks = MAPPED_RUNS * (MAPPED_ITEMS + 2);
    if (span.tries() != tasks) {
      throw new IllegalStateException("expected " + tasks + " tries, found " + span.tries());
    }
    double perSecond = tasks / span.seconds();
    System.out.printf(
        "B6 #%d: %d runs of 1 → %d mapped → 1: %d tries in %.2f s: %.0f tasks/s%n",
        repetition, MAPPED_RUNS, MAPPED_ITEMS, tasks, span.seconds(), perSecond);
    add("B6 mapped-task throughput, H2", "tasks/s", "—", Goal.NONE, perSecond);
  }

  // B3: catchup of a year of an hourly DAG.

  private void catchup(int repetition) throws Exception {
    Path dags = newFolder("catchup-dags");
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant start = end.minus(Duration.ofHours(CATCHUP_RUNS));
    Instant last = end.minus(Duration.ofHours(1));
    Files.writeString(
        dags.resolve("catchup.groovy"),
        "dag('catchup') {\n schedule '@hourly'\n startDate '"
            + start
            + "'\n endDate '"
            + last
            + "'\n catchup true\n maxActiveRuns 32\n maxActiveTasks 32\n"
            + " pausedAtCreation false\n"
            + " def a = task('a') { }\n def b = task('b') { }\n def c = task('c') { }\n"
            + " a >> b >> c\n}\n");
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    CpuTimes before = CpuTimes.now();
    double seconds;
    try (Daemon daemon = new Daemon(dags, Map.of(), null)) {
      MetadataStore store = daemon.store();
      daemon.await(
          "every run ends",
          () ->
              // In this order: the second query reads every run of the DAG.
              daemon.idle()
                  && store.latestScheduledLogicalDate("catchup").filter(last::equals).isPresent());
      double polled = (System.nanoTime() - started) / 1e9;
      CpuTimes cpu = CpuTimes.now().minus(before);
      List<DagRunRow> runs = store.runs("catchup", null, CATCHUP_RUNS + 10);
      if (runs.size() != CATCHUP_RUNS
          || !runs.stream().allMatch(run -> run.state() == RunState.SUCCESS)) {
        throw new IllegalStateException(
            "expected " + CATCHUP_RUNS + " successful runs, found " + runs.size());
      }
      Instant lastEnd = runs.stream().map(DagRunRow::endDate).max(Instant::compareTo).orElseThrow();
      seconds = Duration.between(startedAt, lastEnd).toNanos() / 1e9;
      System.out.printf(
          "B3 #%d: %d runs of 3 tasks succeeded %.1f s after the daemon started"
              + " (%.1f s until seen); CPU per run: %s%n",
          repetition, runs.size(), seconds, polled, cpu.per(runs.size()));
    }
    add("B3 catchup of 8,760 hourly runs", "s", "≤ 30", new Goal(30, true), seconds);
  }

  // B4: 1 → 500 `true` bash tasks → 1 on 2 slots, against make -j2.

  /** Runs 1 → {@code tasks} → 1 bash tasks on 2 slots; returns the first start to last end. */
  private Span shell(int tasks) throws Exception {
    Path dags = newFolder("shell-dags");
    Files.writeString(
        dags.resolve("shell.groovy"),
        "dag('shell') {\n schedule none()\n pausedAtCreation false\n maxActiveTasks 16\n"
            + " def first = bash('first', command: 'true')\n"
            + " def last = bash('last', command: 'true')\n"
            + " (1.."
            + tasks
            + ").each { i -> first >> bash('t' + i, command: 'true') >> last }\n}\n");
    Span span;
    try (Daemon daemon = new Daemon(dags, Map.of("WEIR_PARALLELISM", "2"), null)) {
      DagRunRow run = daemon.trigger("shell", 1).get(0);
      daemon.await("the shell run ends", () -> daemon.finished(run));
      daemon.expectSuccess(run);
      span = daemon.trySpan();
    }
    if (span.tries() != tasks + 2) {
      throw new IllegalStateException("expected " + (tasks + 2) + " tries, found " + span.tries());
    }
    return span;
  }

  private void recordShell(int repetition, Span weirSpan, double make) {
    double weir = weirSpan.seconds();
    System.out.printf(
        "B4 #%d: Weir %.2f s, make -j2 %.2f s, ratio %.2f%n", repetition, weir, make, weir / make);
    add("B4 shell 502 tasks, Weir", "s", "—", Goal.NONE, weir);
    add("B4 shell 502 tasks, make -j2", "s", "—", Goal.NONE, make);
    add("B4 Weir / make", "×", "≤ 1.5", new Goal(1.5, true), weir / make);
  }

  /** Runs the same graph with make -j2; returns its wall time in seconds. */
  private double make(int tasks) throws Exception {
    Path folder = newFolder("make");
    StringBuilder makefile = new StringBuilder(".PHONY: all first last");
    for (int i = 1; i <= tasks; i++) {
      makefile.append(" t").append(i);
    }
    makefile.append("\nall: last\nfirst:\n\ttrue\nlast:");
    for (int i = 1; i <= tasks; i++) {
      makefile.append(" t").append(i);
    }
    makefile.append("\n\ttrue\n");
    for (int i = 1; i <= tasks; i++) {
      makefile.append('t').append(i).append(": first\n\ttrue\n");
    }
    Files.writeString(folder.resolve("Makefile"), makefile);
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder("make", "-j2", "-s", "all")
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("make -j2 failed in " + folder);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  // B5: an idle daemon with 100 daily DAGs, nothing due, in a child JVM.

  private void idle(int repetition, Duration measured) throws Exception {
    Path dags = newFolder("idle-dags");
    for (int i = 0; i < IDLE_DAGS; i++) {
      String id = "idle_%03d".formatted(i);
      Files.writeString(
          dags.resolve(id + ".groovy"),
          "dag('"
              + id
              + "') {\n schedule '@daily'\n startDate '2099-01-01'\n pausedAtCreation false\n"
              + " def a = task('a') { }\n def b = bash('b', command: 'true')\n a >> b\n}\n");
    }
    Path home = newFolder("idle-home");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            DaemonMain.class.getName(),
            dags.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("WEIR_HOME", home.toString());
    Process process = builder.start();
    try {
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = output.readLine()) != null && !line.equals("started")) {
        System.out.println("  daemon: " + line);
      }
      if (line == null) {
        throw new IllegalStateException("the idle daemon exited before it started");
      }
      Thread drain =
          new Thread(
              () -> {
                try {
                  output.lines().forEach(l -> System.out.println("  daemon: " + l));
                } catch (UncheckedIOException e) {
                  // the daemon was stopped
                }
              });
      drain.setDaemon(true);
      drain.start();
      Thread.sleep(IDLE_WARM_UP.toMillis());
      long before = cpuTicks(process.pid());
      long started = System.nanoTime();
      Thread.sleep(measured.toMillis());
      long after = cpuTicks(process.pid());
      double seconds = (System.nanoTime() - started) / 1e9;
      double percent = (after - before) / (double) clockTicks() / seconds * 100;
      double rssMb = rssKb(process.pid()) / 1024.0;
      System.out.printf(
          "B5 #%d: %.2f %% of one core over %.0f s, RSS %.0f MB%n",
          repetition, percent, seconds, rssMb);
      add("B5 idle CPU, 100 DAGs", "% of a core", "≤ 2", new Goal(2, true), percent);
      add("B5 idle RSS", "MB", "—", Goal.NONE, rssMb);
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    try (Database database = Database.open(settings(home, Map.of(), null));
        Connection c = database.dataSource().getConnection();
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM dag_run")) {
      rs.next();
      if (rs.getLong(1) != 0) {
        throw new IllegalStateException("the idle daemon created " + rs.getLong(1) + " runs");
      }
    }
  }

  /** utime + stime of a process, in clock ticks. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // Fields 14 and 15 of stat; the array starts at field 3.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  private static long clockTicks() throws Exception {
    Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
    String value = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    getconf.waitFor();
    return value.isBlank() ? 100 : Long.parseLong(value.strip());
  }

  /** CPU time of this process and of its threads by name (digits removed), in nanoseconds. */
  private record CpuTimes(long process, Map<String, Long> threads) {
    static CpuTimes now() {
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      Map<String, Long> threads = new HashMap<>();
      for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
        if (info != null) {
          long time = mx.getThreadCpuTime(info.getThreadId());
          if (time > 0) {
            threads.merge(info.getThreadName().replaceAll("[0-9]+", "N"), time, Long::sum);
          }
        }
      }
      return new CpuTimes(os.getProcessCpuTime(), threads);
    }

    CpuTimes minus(CpuTimes before) {
      Map<String, Long> threads = new HashMap<>();
      this.threads.forEach(
          (name, time) -> threads.put(name, time - before.threads().getOrDefault(name, 0L)));
      return new CpuTimes(process - before.process(), threads);
    }

    /** The process's CPU time per item, then its main thread groups'. */
    String per(int items) {
      StringBuilder text = new StringBuilder("%.0f µs".formatted(process / 1e3 / items));
      threads.entrySet().stream()
          .filter(entry -> entry.getValue() * 20 > process)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(
              entry ->
                  text.append(
                      ", %s %.0f".formatted(entry.getKey(), entry.getValue() / 1e3 / items)));
      return text.append(" (threads of 5 % or more; GC and JIT are the rest)").toString();
    }
  }

  // A daemon in this JVM.

  private Settings settings(Path home, Map<String, String> extra, String url) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("WEIR_HOME", home.toString());
    if (url != null) {
      env.put("WEIR_DB_URL", url);
      env.put("WEIR_DB_USER", "postgres");
    }
    return Settings.load(env);
  }

  /** A first and a last instant of the store's tries, and how many there are. */
  private record Span(Instant first, Instant last, long tries) {
    double seconds() {
      return Duration.between(first, last).toNanos() / 1e9;
    }
  }

  private final class Daemon implements AutoCloseable {
    private final Path dags;
    private final Settings settings;
    private final SchedulerDaemon daemon;

    Daemon(Path dags, Map<String, String> extra, String url) throws IOException {
      this.dags = dags;
      this.settings = settings(newFolder("home"), extra, url);
      this.daemon =
          new SchedulerDaemon(
              settings,
              SchedulerDaemon.Options.from(settings, dags, DagBagOptions.defaults()),
              Clock.systemUTC());
      daemon.start();
    }

    MetadataStore store() {
      return daemon.store();
    }

    /** Triggers manual runs of a DAG, one minute of logical date apart. */
    List<DagRunRow> trigger(String dagId, int count) {
      try (DagBag bag = new DagBag(dags, DagBagOptions.defaults())) {
        bag.refresh();
        DagSpec dag = bag.dag(dagId).orElseThrow();
        RunRequests requests = new RunRequests(store(), Clock.systemUTC());
        long version = requests.saveDag(dag, bag.source(dag.source().file()).orElseThrow(), null);
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        List<DagRunRow> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          runs.add(requests.trigger(dag, version, base.plus(Duration.ofMinutes(i)), "{}"));
        }
        return runs;
      }
    }

    /** Whether no run is queued or running. */
    boolean idle() {
      return store().runsIn(EnumSet.of(RunState.QUEUED, RunState.RUNNING)).isEmpty();
    }

    boolean finished(DagRunRow run) {
      return store().run(run.id()).orElseThrow().state().isFinished();
    }

    void expectSuccess(DagRunRow run) {
      RunState state = store().run(run.id()).orElseThrow().state();
      if (state != RunState.SUCCESS) {
        throw new IllegalStateException("run " + run.runId() + " ended " + state.label());
      }
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out waiting until " + what);
        }
        Thread.sleep(100); // a store query, not to compete with the scheduler
      }
    }

    /** Each task's (first) try: its start and end dates. */
    Map<String, Span> tryTimes() throws SQLException {
      Map<String, Span> times = new HashMap<>();
      try (Database database = Database.open(settings);
          Connection c = database.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT task_id, start_date, end_date FROM task_try");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          times.put(
              rs.getString(1),
              new Span(
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getObject(3, OffsetDateTime.class).toInstant(),
                  1));
        }
      }
      return times;
    }

    /** The first start and last end of the store's tries. */
    Span trySpan() throws SQLException {
      try (Database database = Database.open(settings);
          Connection c = database.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT MIN(start_date), MAX(end_date), COUNT(*) FROM task_try");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Span(
            rs.getObject(1, OffsetDateTime.class).toInstant(),
            rs.getObject(2, OffsetDateTime.class).toInstant(),
            rs.getLong(3));
      }
    }

    @Override
    public void close() {
      daemon.close();
    }
  }

  // Results.

  private void add(String name, String unit, String goal, Goal test, double value) {
    rows.computeIfAbsent(name, n -> new Row(name, unit, goal, test, new ArrayList<>()))
        .values()
        .add(value);
  }

  private void printTable() {
    System.out.printf(
        "%-34s %-12s %-8s %10s %21s  %s%n",
        "Benchmark", "unit", "goal", "median", "min–max", "met");
    List<Row> sorted = new ArrayList<>(rows.values());
    // By benchmark (B1…B5), each benchmark's rows in the order they were added.
    sorted.sort(Comparator.comparing(row -> row.name().substring(0, 2)));
    for (Row row : sorted) {
      double median = row.median();
      String met =
          Double.isNaN(row.test().limit()) ? "" : row.test().met(median) ? "met" : "NOT met";
      System.out.printf(
          "%-34s %-12s %-8s %10s %21s  %s%n",
          row.name(),
          row.unit(),
          row.goal(),
          format(median),
          format(Collections.min(row.values())) + "–" + format(Collections.max(row.values())),
          met);
    }
  }

  private static String format(double value) {
    return value >= 100 ? "%.0f".formatted(value) : "%.2f".formatted(value);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /** The nearest-rank percentile of the values. */
  static double percentile(List<Double> values, double percent) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(percent / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static List<String> jvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> !option.startsWith("-agentlib") && !option.startsWith("-javaagent"))
        .toList();
  }

  // Temporary folders.

  private Path newFolder(String name) throws IOException {
    return Files.createDirectories(root.resolve(name + "-" + temps.incrementAndGet()));
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
