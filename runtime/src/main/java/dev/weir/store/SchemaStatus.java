package dev.weir.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The migrations of a metadata database: which this Weir knows, which the database has, and in what
 * state.
 *
 * @param migrations every migration, oldest first
 */
public record SchemaStatus(List<Migration> migrations) {

  public SchemaStatus {
    migrations = List.copyOf(migrations);
  }

  /**
   * One schema migration.
   *
   * @param installedOn when it was applied, or null when it was not
   */
  public record Migration(String version, String description, State state, Instant installedOn) {}

  /** Where a migration stands. */
  public enum State {
    APPLIED,
    /** Known to this Weir, not yet applied. */
    PENDING,
    /** Applied and failed: the database needs repair by hand. */
    FAILED,
    /** Applied by a newer Weir, or unknown to this one. */
    UNKNOWN
  }

  /** The version of the latest applied migration, if any. */
  public Optional<String> currentVersion() {
    String current = null;
    for (Migration migration : migrations) {
      if (migration.state() == State.APPLIED || migration.state() == State.UNKNOWN) {
        current = migration.version();
      }
    }
    return Optional.ofNullable(current);
  }

  public List<Migration> pending() {
    return migrations.stream().filter(m -> m.state() == State.PENDING).toList();
  }

  /** True when every migration this Weir knows is applied and none failed. */
  public boolean upToDate() {
    return migrations.stream()
        .allMatch(m -> m.state() == State.APPLIED || m.state() == State.UNKNOWN);
  }
}
