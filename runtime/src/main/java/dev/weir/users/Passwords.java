package dev.weir.users;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Password hashing with bcrypt, and generated passwords. */
public final class Passwords {
  /** bcrypt's cost: 2^11 rounds, about 100 ms on a small machine, slow to guess offline. */
  static final int COST = 11;

  /** bcrypt reads at most 72 bytes; longer passwords would be silently cut. */
  static final int MAX_BYTES = 72;

  static final int MIN_LENGTH = 8;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  // A hash to verify against when the user is unknown, so that the answer takes as long.
  private static final String DUMMY_HASH = hash("not a password of anyone's");

  private Passwords() {}

  /**
   * @throws UsersException when the password is too short or too long for bcrypt
   */
  public static void check(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      throw new UsersException("a password needs at least " + MIN_LENGTH + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new UsersException("a password has at most " + MAX_BYTES + " bytes (bcrypt's limit)");
    }
  }

  static String hash(String password) {
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  static boolean matches(String password, String hash) {
    if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return false;
    }
    return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
  }

  /** Spends the time of a verification, for an unknown user. */
  static void spendVerificationTime(String password) {
    matches(password == null ? "" : password, DUMMY_HASH);
  }

  /** A random password of 20 letters and digits (about 116 bits). */
  public static String generate() {
    StringBuilder password = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
