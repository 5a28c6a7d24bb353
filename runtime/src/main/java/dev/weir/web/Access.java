package dev.weir.web;

import dev.weir.users.Role;
import io.javalin.security.RouteRole;

/** Who may call an endpoint: anyone (health, login), or a logged-in user with at least a role. */
public enum Access implements RouteRole {
  PUBLIC(null),
  VIEWER(Role.VIEWER),
  USER(Role.USER),
  OP(Role.OP),
  ADMIN(Role.ADMIN);

  private final Role role;

  Access(Role role) {
    this.role = role;
  }

  /** The least role needed, or null for anyone. */
  public Role role() {
    return role;
  }
}
