package dev.weir.users;

import java.time.Instant;

/** An API token of a user, by name; the token itself is never stored. */
public record TokenRow(String username, String name, Instant createdAt, Instant lastUsedAt) {}
