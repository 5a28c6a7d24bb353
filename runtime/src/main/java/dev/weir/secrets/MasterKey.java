package dev.weir.secrets;

import dev.weir.config.Settings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 key that encrypts connection passwords and extras and secret variables at rest.
 *
 * <p>From the environment variable {@code WEIR_SECRET_KEY} (the base64 of 32 random bytes, such as
 * {@code openssl rand -base64 32} prints) when it is set; otherwise from the file {@code
 * <WEIR_HOME>/secret.key}, made on first use with owner-only permissions (0600). Every process that
 * reads the same store needs the same key.
 */
public final class MasterKey {
  private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

  /** The environment variable holding the key. */
  public static final String VARIABLE = "WEIR_SECRET_KEY";

  /** The key file in the home folder, used when {@link #VARIABLE} is not set. */
  public static final String FILE_NAME = "secret.key";

  static final int BYTES = 32;

  private static final String EXPECTED =
      "the base64 of 32 random bytes, such as 'openssl rand -base64 32' prints";

  private final String origin;
  private final Path file;
  private volatile SecretKeySpec key;

  private MasterKey(String origin, Path file, SecretKeySpec key) {
    this.origin = origin;
    this.file = file;
    this.key = key;
  }

  /** A fixed key, for tests and tools. */
  public static MasterKey of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a key has " + BYTES + " bytes, got " + bytes.length);
    }
    return new MasterKey("a given key", null, new SecretKeySpec(bytes.clone(), "AES"));
  }

  /** The key of these settings: {@code WEIR_SECRET_KEY}, else the key file of the home folder. */
  public static MasterKey from(Settings settings) {
    return from(settings.environment(), settings.home());
  }

  /**
   * The key from {@code WEIR_SECRET_KEY} in this environment, checked now; else the key file of
   * {@code home}, read (or made) when first needed, so that a process that never meets a secret
   * never makes one.
   *
   * @throws SecretKeyException when {@code WEIR_SECRET_KEY} is set but is not a key
   */
  public static MasterKey from(Map<String, String> environment, Path home) {
    String value = environment.get(VARIABLE);
    if (value != null && !value.isBlank()) {
      return new MasterKey(VARIABLE, null, new SecretKeySpec(decode(value, VARIABLE), "AES"));
    }
    Path file = home.resolve(FILE_NAME);
    return new MasterKey("the key file " + file, file, null);
  }

  /** Where the key comes from, for messages: {@code WEIR_SECRET_KEY} or the key file's path. */
  public String origin() {
    return origin;
  }

  /** A new random key as {@code WEIR_SECRET_KEY} takes it. */
  public static String generate() {
    byte[] bytes = new byte[BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  SecretKeySpec key() {
    SecretKeySpec current = key;
    if (current == null) {
      synchronized (this) {
        current = key;
        if (current == null) {
          current = new SecretKeySpec(readOrCreate(file), "AES");
          key = current;
        }
      }
    }
    return current;
  }

  private static byte[] decode(String text, String what) {
    byte[] bytes;
    String trimmed = text.strip();
    try {
      bytes = Base64.getDecoder().decode(trimmed);
    } catch (IllegalArgumentException notStandard) {
      try {
        bytes = Base64.getUrlDecoder().decode(trimmed);
      } catch (IllegalArgumentException notUrlSafe) {
        // The value itself is never part of the message: it is (meant to be) a secret.
        throw new SecretKeyException(what + " is not valid base64; expected " + EXPECTED);
      }
    }
    if (bytes.length != BYTES) {
      Arrays.fill(bytes, (byte) 0);
      throw new SecretKeyException(
          what + " decodes to " + bytes.length + " bytes, not " + BYTES + "; expected " + EXPECTED);
    }
    return bytes;
  }

  private static byte[] readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      } else {
        warnIfOthersCanRead(file);
      }
      return decode(Files.readString(file, StandardCharsets.US_ASCII), "the key file " + file);
    } catch (IOException e) {
      throw new SecretKeyException(
          "cannot read or create the secret key file "
              + file
              + " ("
              + e
              + "); set "
              + VARIABLE
              + " instead");
    }
  }

  /**
   * Writes a new key to a temporary file made with mode 0600, flushes it to disk, then links it
   * under its name. A link, unlike a rename, never replaces a file: when another process made the
   * key first, this one reads theirs, so two processes never encrypt with different keys.
   */
  private static void create(Path file) throws IOException {
    Path home = Objects.requireNonNull(file.toAbsolutePath().getParent());
    Files.createDirectories(home);
    Path temp = Files.createTempFile(home, FILE_NAME, ".tmp", ownerOnly());
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap((generate() + "\n").getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      if (dev.weir.config.SecretFiles.publish(temp, file)) {
        log.info("Made a new secret key in {}; back it up with the metadata database", file);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void warnIfOthersCanRead(Path file) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> others =
          EnumSet.of(
              PosixFilePermission.GROUP_READ,
              PosixFilePermission.GROUP_WRITE,
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE);
      others.retainAll(permissions);
      if (!others.isEmpty()) {
        log.warn(
            "The secret key file {} is {}: other users may read it; run chmod 600 {}",
            file,
            PosixFilePermissions.toString(permissions),
            file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Only a warning is lost.
    }
  }

  static FileAttribute<?>[] ownerOnly() {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }

  /** A key that is set but unusable, or a key file that cannot be read or made. */
  public static final class SecretKeyException extends RuntimeException {
    public SecretKeyException(String message) {
      super(message, null, false, false);
    }
  }
}
