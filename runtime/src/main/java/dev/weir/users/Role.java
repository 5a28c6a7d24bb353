package dev.weir.users;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user may do, each role including the ones before it: a Viewer reads; a User also triggers,
 * clears and marks runs and tasks and pauses DAGs; an Op also edits connections, variables and
 * pools; an Admin also manages users.
 */
public enum Role {
  VIEWER("Viewer"),
  USER("User"),
  OP("Op"),
  ADMIN("Admin");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Whether this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  /**
   * The role named, ignoring case.
   *
   * @throws IllegalArgumentException naming the roles there are
   */
  public static Role parse(String name) {
    for (Role role : values()) {
      if (role.label.equalsIgnoreCase(name == null ? "" : name.trim())) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '"
            + name
            + "'; the roles are "
            + Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", ")));
  }

  /** The name stored in the database. */
  String stored() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Role fromStored(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
