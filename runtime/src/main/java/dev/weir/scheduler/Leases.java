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
    if (lease.heartbeatAt().plus(TIMEOUT).isBefore(now)) {
      return false;
    }
    if (lease.hostname().equals(hostname())) {
      return ProcessHandle.of(lease.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
    return true;
  }

  public static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    }
  }
}
