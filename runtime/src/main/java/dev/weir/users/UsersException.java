package dev.weir.users;

/** Bad input for a user: a name taken or malformed, a password too short. */
public final class UsersException extends RuntimeException {
  public UsersException(String message) {
    super(message);
  }
}
