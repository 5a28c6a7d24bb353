package dev.weir.users;

/** A session just opened, with its token: the cookie's value, known only to the browser. */
public record NewSession(String token, Session session) {}
