package dev.weir.users;

import java.time.Instant;

/** A user of the web server and REST API, without the password hash. */
public record UserRow(String username, Role role, Instant createdAt, Instant lastLoginAt) {}
