package dev.weir.web;

import dev.weir.users.Role;
import io.javalin.http.Context;

/**
 * Who makes a request and how they proved it.
 *
 * @param csrfToken the session's CSRF token; null when not logged in through a browser session
 */
public record Principal(String username, Role role, Via via, String csrfToken) {
  private static final String ATTRIBUTE = "weir.principal";

  /** How a request was authenticated. */
  public enum Via {
    SESSION,
    TOKEN,
    BASIC
  }

  /** The principal of a request that passed authentication. */
  public static Principal of(Context ctx) {
    Principal principal = ctx.attribute(ATTRIBUTE);
    if (principal == null) {
      throw new IllegalStateException("no principal on " + ctx.path() + "; is it a public route?");
    }
    return principal;
  }

  void attachTo(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }

  public boolean may(Role needed) {
    return role.includes(needed);
  }
}
