package dev.weir.scheduler;

import dev.weir.store.Lease;
import dev.weir.store.MetadataStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Who the live scheduler of a store is. */
public final class Leases {
  /** A lease not renewed for this long belongs to a scheduler that is gone or stuck. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private Leases() {}

  /**
   * The live scheduler's lease: one renewed within {@link #TIMEOUT} whose process, when it runs on
   * this host, still exists (so a scheduler killed a moment ago is not taken for a live one).
   */
  public static Optional<Lease> live(MetadataStore store, Instant now) {
    return store.lease().filter(lease -> isAlive(lease, now));
  }

  public static boolean isAlive(Lease lease, Instant now) {
    return isAlive(lease.hostname(), lease.pid(), lease.heartbeatAt(), now);
  }

  /**
   * Whether a process that beats its heart into the store is alive: its last heartbeat is within
   * {@link #TIMEOUT} and, when it runs on this host, the process still exists.
   */
  public static boolean isAlive(String hostname, long pid, Instant heartbeatAt, Instant now) {
    if (isStale(heartbeatAt, now)) {
      return false;
    }
    if (hostname.equals(hostname())) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    return true;
  }

  /** Whether a heartbeat is older than {@link #TIMEOUT}. */
  public static boolean isStale(Instant heartbeatAt, Instant now) {
    return heartbeatAt.plus(TIMEOUT).isBefore(now);
  }

  public static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    }
  }
}
