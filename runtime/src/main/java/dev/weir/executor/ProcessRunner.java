package dev.weir.executor;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command as a child process, streaming its output (stdout and stderr merged) line by line
 * into a {@link TaskLog} while it runs. Thread-safe: one runner serves many concurrent tasks.
 *
 * <p>The child is started in a session and process group of its own (with {@code setsid}), so that
 * its whole process tree can be killed: on timeout, on interrupt of the calling thread, and when
 * the command exits but leaves processes running in the background (they would keep the log open
 * and outlive the try). Killing sends SIGTERM to the group and to every descendant, waits up to the
 * kill grace period, then sends SIGKILL. Standard input is {@code /dev/null}.
 *
 * <p>Where {@code setsid} or {@code /proc} are missing (not Linux), only the descendants that are
 * still attached to the process tree can be found and killed.
 */
public final class ProcessRunner {
  /**
   * A command that exits with this code marks its task skipped instead of failed (Airflow's
   * convention).
   */
  public static final int SKIP_EXIT_CODE = 99;

  /** The default time between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
  private static final Duration KILL_WAIT = Duration.ofSeconds(2);
  private static final Path PROC = Path.of("/proc");
  private static final Path PID_MAX = Path.of("/proc/sys/kernel/pid_max");
  private static final Path LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");
  // pid, comm (at most 64 bytes), state, ppid and pgrp fit with room to spare.
  private static final int STAT_PREFIX_BYTES = 160;
  private static final String SETSID = findSetsid();
  private static final AtomicInteger PUMP_THREADS = new AtomicInteger();

  /** Daemon threads that copy output; an idle one ends after a minute. */
  private static final ExecutorService PUMPS =
      Executors.newCachedThreadPool(
          body -> {
            Thread thread = new Thread(body, "weir-output-" + PUMP_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private final Duration killGrace;

  /** A runner that waits {@link #DEFAULT_KILL_GRACE} between SIGTERM and SIGKILL. */
  public ProcessRunner() {
    this(DEFAULT_KILL_GRACE);
  }

  /** A runner that waits {@code killGrace} between SIGTERM and SIGKILL. */
  public ProcessRunner(Duration killGrace) {
    if (killGrace == null || killGrace.isNegative()) {
      throw new IllegalArgumentException("kill grace must be zero or more, got " + killGrace);
    }
    this.killGrace = killGrace;
  }

  /**
   * Runs the command and waits for it to end, or kills its process tree when the timeout expires.
   *
   * @throws IOException if the process or its temporary folder cannot be created
   * @throws InterruptedException if the calling thread was interrupted while the process ran (or
   *     while its tree was being killed); the process tree has then been killed, its output drained
   *     into the log, and the temporary folder deleted, before this is thrown. The interrupt flag
   *     is clear, as usual for this exception.
   */
  public ProcessOutcome run(ProcessSpec spec, TaskLog log)
      throws IOException, InterruptedException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(log, "log");
    Path tempDir = null;
    Path workDir = spec.workingDirectory();
    if (workDir == null) {
      tempDir = Files.createTempDirectory("weir-task-");
      workDir = tempDir;
    }
    try {
      return runIn(spec, workDir, log);
    } finally {
      if (tempDir != null) {
        deleteTree(tempDir, log);
      }
    }
  }

  private ProcessOutcome runIn(ProcessSpec spec, Path workDir, TaskLog log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(spec.command().size() + 1);
    if (SETSID != null) {
      command.add(SETSID);
    }
    command.addAll(spec.command());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    childEnvironment(builder.environment(), spec.environment());

    long started = System.nanoTime();
    Process process = builder.start();
    // With setsid exec'ing in place (the child is never a group leader), the child's pid is the id
    // of its new process group. Never read the group id: before setsid runs it is our own.
    long group = process.pid();
    log.info("Started process {} in {}", process.pid(), workDir);
    OutputPump pump = new OutputPump(process, log);
    pump.start();

    boolean timedOut = false;
    boolean interrupted = false;
    try {
      if (spec.timeout() == null) {
        process.waitFor();
      } else if (!process.waitFor(spec.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        timedOut = true;
        log.error("Timed out after {}; killing the process tree", spec.timeout());
      }
    } catch (InterruptedException e) {
      interrupted = true;
      log.warn("Interrupted; killing the process tree");
    }
    Duration duration = Duration.ofNanos(System.nanoTime() - started);
    if (timedOut || interrupted) {
      interrupted |= killTree(process, group, log);
    } else if (leftBehind(group, started)) {
      log.warn("Command exited but left processes running in the background; killing them");
      interrupted |= killTree(process, group, log);
    }
    interrupted |= pump.finish(killGrace.plus(KILL_WAIT));
    int exitCode = exitCode(process);
    if (timedOut) {
      log.error("Process killed after timeout, exit code {}", exitCode);
    } else {
      log.info("Process exited with code {} after {} ms", exitCode, duration.toMillis());
    }
    if (interrupted || Thread.interrupted()) {
      throw new InterruptedException("interrupted while running process " + process.pid());
    }
    return new ProcessOutcome(exitCode, timedOut, duration, pump.lastLine());
  }

  /**
   * Kills the process group and every descendant: SIGTERM, the grace period, then SIGKILL.
   *
   * @return whether the thread was interrupted meanwhile (killing goes on regardless)
   */
  private boolean killTree(Process process, long group, TaskLog log) {
    Set<ProcessHandle> tree = new HashSet<>();
    tree.add(process.toHandle());
    // Descendants that made sessions of their own are outside the group: remember them too.
    process.descendants().forEach(tree::add);
    Set<Long> pids = new HashSet<>();
    tree.forEach(h -> pids.add(h.pid()));

    boolean interrupted = signalGroup(group, "TERM");
    tree.forEach(ProcessHandle::destroy);
    Awaited terminated = awaitDeath(process, group, pids, killGrace);
    interrupted |= terminated.interrupted;
    if (!terminated.dead) {
      log.warn("Processes still running {} after SIGTERM; sending SIGKILL", killGrace);
      process.descendants().forEach(tree::add);
      interrupted |= signalGroup(group, "KILL");
      tree.forEach(ProcessHandle::destroyForcibly);
      Awaited killed = awaitDeath(process, group, pids, KILL_WAIT);
      interrupted |= killed.interrupted;
      if (!killed.dead) {
        log.error("Processes of group {} survived SIGKILL", group);
      }
    }
    return interrupted;
  }

  private record Awaited(boolean dead, boolean interrupted) {}

  private static Awaited awaitDeath(Process process, long group, Set<Long> pids, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    while (true) {
      if (!process.isAlive() && !groupAlive(group, pids)) {
        return new Awaited(true, interrupted);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Awaited(false, interrupted);
      }
      // Processes we did not start give no exit event: poll them.
      try {
        Thread.sleep(Math.min(10, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  /** Sends a signal to a process group with kill(1), falling back to each member found. */
  private static boolean signalGroup(long group, String signal) {
    if (SETSID == null) {
      return false;
    }
    boolean interrupted = false;
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, "--", "-" + group)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      while (true) {
        try {
          kill.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return interrupted;
    } catch (IOException e) {
      LOG.debug("kill(1) unavailable ({}); signalling group {} member by member", e, group);
    }
    for (long pid : groupMembers(group)) {
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                if (signal.equals("KILL")) {
                  h.destroyForcibly();
                } else {
                  h.destroy();
                }
              });
    }
    return interrupted;
  }

  /** Whether a live (not zombie) process is in the group or has one of the pids. */
  static boolean groupAlive(long group, Set<Long> pids) {
    if (!Files.isDirectory(PROC)) {
      return pids.stream()
          .anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
    return !scan(listPids(), group, pids, true).isEmpty();
  }

  /**
   * Whether the command, started at {@code startedNanos} ({@link System#nanoTime()}), left a live
   * process in its group. Only processes created after it can be in its group, so only the pids
   * handed out since need their stat file read: on a host with hundreds of processes that spares
   * reading hundreds of files after every try.
   */
  private static boolean leftBehind(long group, long startedNanos) {
    if (!Files.isDirectory(PROC)) {
      return false;
    }
    List<Long> listed = listPids(); // before reading the last pid: each of these is up to it
    LongPredicate since = handedOutSince(group, Duration.ofNanos(System.nanoTime() - startedNanos));
    List<Long> candidates = new ArrayList<>();
    for (long pid : listed) {
      if (since.test(pid)) {
        candidates.add(pid);
      }
    }
    return !scan(candidates, group, Set.of(), true).isEmpty();
  }

  /**
   * Which pids were handed out after {@code first}, within {@code elapsed}: Linux hands pids out in
   * increasing order from the last one and wraps around at pid_max. That tells them apart only
   * while fewer than a whole cycle (pid_max - 300) were handed out; no machine starts a million
   * processes a second, so a longer time, or a /proc/sys that cannot be read, accepts every pid.
   */
  static LongPredicate handedOutSince(long first, Duration elapsed) {
    try {
      long pidMax = readNumber(PID_MAX);
      if (elapsed.toNanos() / 1_000 >= pidMax - 300) { // one pid a microsecond at most
        return pid -> true;
      }
      return handedOutBetween(first, readNumber(LAST_PID));
    } catch (IOException | NumberFormatException e) {
      return pid -> true;
    }
  }

  /** A number from /proc/sys, in one read: these files answer only a read from their start. */
  private static long readNumber(Path file) throws IOException {
    byte[] text = new byte[32];
    try (InputStream in = new FileInputStream(file.toFile())) {
      int length = in.read(text);
      return Long.parseLong(
          new String(text, 0, Math.max(0, length), StandardCharsets.US_ASCII).strip());
    }
  }

  /** The pids after {@code first} up to {@code last}, round pid_max when last is below first. */
  static LongPredicate handedOutBetween(long first, long last) {
    return last >= first ? pid -> pid > first && pid <= last : pid -> pid > first || pid <= last;
  }

  private static List<Long> groupMembers(long group) {
    return Files.isDirectory(PROC) ? scan(listPids(), group, Set.of(), false) : List.of();
  }

  private static List<Long> listPids() {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessRunner::isPidDir)) {
      for (Path entry : entries) {
        pids.add(Long.parseLong(entry.getFileName().toString()));
      }
    } catch (IOException e) {
      LOG.debug("cannot list /proc: {}", e.toString());
    }
    return pids;
  }

  /**
   * Which of these processes are in the group (or have one of the pids), from /proc; zombies count
   * as dead. It reads only the head of each stat file, into one buffer, and parses it without
   * making strings.
   */
  private static List<Long> scan(List<Long> candidates, long group, Set<Long> pids, boolean first) {
    List<Long> found = new ArrayList<>();
    byte[] stat = new byte[STAT_PREFIX_BYTES];
    for (long pid : candidates) {
      int length;
      try (InputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
        length = in.readNBytes(stat, 0, stat.length);
      } catch (IOException e) {
        continue; // it ended meanwhile
      }
      if (isLiveMember(stat, length, group) || (pids.contains(pid) && isLive(stat, length))) {
        found.add(pid);
        if (first) {
          break;
        }
      }
    }
    return found;
  }

  // A stat file reads "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses,
  // but the fields after its last ')' are single characters and numbers.

  private static boolean isLive(byte[] stat, int length) {
    int state = afterComm(stat, length);
    return state >= 0 && stat[state] != 'Z' && stat[state] != 'X';
  }

  private static boolean isLiveMember(byte[] stat, int length, long group) {
    if (!isLive(stat, length)) {
      return false;
    }
    int i = afterComm(stat, length) + 1;
    for (int spaces = 0; i < length && spaces < 2; i++) { // skip " ppid "
      if (stat[i] == ' ') {
        spaces++;
      }
    }
    long pgrp = 0;
    int digits = 0;
    for (; i < length && stat[i] >= '0' && stat[i] <= '9'; i++, digits++) {
      pgrp = pgrp * 10 + (stat[i] - '0');
    }
    return digits > 0 && pgrp == group;
  }

  /** Where the state field is, or -1 when the text is not a stat line. */
  private static int afterComm(byte[] stat, int length) {
    for (int i = length - 1; i >= 0; i--) {
      if (stat[i] == ')') {
        return i + 2 < length ? i + 2 : -1;
      }
    }
    return -1;
  }

  private static boolean isPidDir(Path entry) {
    String name = entry.getFileName().toString();
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return !name.isEmpty();
  }

  private static int exitCode(Process process) {
    // The process was killed or has exited, so this returns at once unless SIGKILL failed.
    try {
      return process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          ? process.exitValue()
          : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return process.isAlive() ? -1 : process.exitValue();
    }
  }

  private static void deleteTree(Path dir, TaskLog log) {
    try {
      Files.delete(dir); // most commands leave their folder empty
      return;
    } catch (IOException e) {
      // not empty (or gone): walk it
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Could not delete temporary folder {}: {}", dir, e.toString());
    }
  }

  private static String findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    LOG.warn("setsid not found: background processes of tasks may survive a kill");
    return null;
  }

  /**
   * Copies the process's output into the log, one line at a time, on a thread of {@link #PUMPS}
   * (starting a thread for every process cost more than the copying of a short command's output).
   */
  private static final class OutputPump implements Runnable {
    private final Process process;
    private final TaskLog log;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String lastLine;

    OutputPump(Process process, TaskLog log) {
      this.process = process;
      this.log = log;
    }

    void start() {
      PUMPS.execute(this);
    }

    @Override
    public void run() {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lastLine = line;
          log.output(line);
        }
      } catch (IOException e) {
        // The stream was closed because an escaped process kept it open too long.
      } catch (RuntimeException e) {
        LOG.warn("Lost output of process {}: {}", process.pid(), e.toString());
      } finally {
        done.countDown();
      }
    }

    String lastLine() {
      return lastLine;
    }

    /**
     * Waits until all output is in the log, which is when every process holding the pipe is gone.
     *
     * @return whether the thread was interrupted meanwhile
     */
    boolean finish(Duration limit) {
      boolean interrupted = false;
      long deadline = System.nanoTime() + limit.toNanos();
      while (done.getCount() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("Output still open after the process tree ended; a process escaped it");
          try {
            process.getInputStream().close();
          } catch (IOException e) {
            LOG.debug("closing output of {}: {}", process.pid(), e.toString());
          }
          break;
        }
        try {
          done.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return interrupted;
    }
  }

  /**
   * A child's environment: Weir's own, without the key that decrypts every stored secret (Weir's
   * alone, never a task's), with the task's variables added.
   */
  static void childEnvironment(Map<String, String> inherited, Map<String, String> task) {
    inherited.remove("WEIR_SECRET_KEY");
    inherited.putAll(task);
  }
}
