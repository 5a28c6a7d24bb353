package dev.weir.users;

import java.time.Instant;

/** A logged-in browser session: whose it is and the CSRF token its forms and requests carry. */
public record Session(UserRow user, String csrfToken, Instant expiresAt) {}
