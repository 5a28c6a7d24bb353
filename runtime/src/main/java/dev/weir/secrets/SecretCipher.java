package dev.weir.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts texts for the store with AES-256-GCM (the JDK's {@code javax.crypto}).
 *
 * <p>A stored text is {@code v1:} followed by the base64 of a random 12-byte IV, the ciphertext and
 * the 16-byte authentication tag. The prefix names the format and key generation, so that a later
 * Weir can rotate the key: read {@code v1:} values with the old key, write {@code v2:} ones with
 * the new. Each value is bound to what it is (such as {@code connection/mydb/password}) as
 * associated data, so a ciphertext copied onto another row does not decrypt either. Thread-safe.
 */
public final class SecretCipher {
  /** The prefix of the current format. */
  public static final String V1 = "v1:";

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final MasterKey key;
  private final SecureRandom random = new SecureRandom();

  public SecretCipher(MasterKey key) {
    this.key = key;
  }

  /** Where the key comes from, for messages. */
  public String keyOrigin() {
    return key.origin();
  }

  /**
   * Encrypts a text.
   *
   * @param context what the value is, such as {@code variable/api_key}; decrypting needs the same
   */
  public String encrypt(String plaintext, String context) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(IV_BYTES + sealed.length);
      out.put(iv).put(sealed);
      return V1 + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      // AES-GCM is in every JDK; this cannot happen with a 32-byte key.
      throw new IllegalStateException("cannot encrypt with " + TRANSFORMATION, e);
    }
  }

  /**
   * Decrypts a text {@link #encrypt} made with the same key and context.
   *
   * @param what names the value for the error, such as {@code the password of connection 'mydb'}
   * @throws SecretsException when the key differs, the text was altered, or its format is unknown
   */
  public String decrypt(String stored, String context, String what) {
    if (!stored.startsWith(V1)) {
      int colon = stored.indexOf(':');
      throw new SecretsException(
          "cannot decrypt "
              + what
              + ": it is stored in "
              + (colon > 0 && colon <= 8
                  ? "format '" + stored.substring(0, colon) + "', unknown to this Weir"
                  : "no known format")
              + "; store it again");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(stored.substring(V1.length()));
    } catch (IllegalArgumentException e) {
      throw altered(what);
    }
    if (bytes.length < IV_BYTES + TAG_BITS / 8) {
      throw altered(what);
    }
    javax.crypto.SecretKey secretKey;
    try {
      secretKey = key.key();
    } catch (MasterKey.SecretKeyException e) {
      throw new SecretsException("cannot decrypt " + what + ": " + e.getMessage());
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE, secretKey, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SecretsException(
          "cannot decrypt "
              + what
              + ": the secret key changed since it was stored (the key now comes from "
              + key.origin()
              + "), or the stored value was altered; restore the old key or store the value"
              + " again");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt with " + TRANSFORMATION, e);
    }
  }

  private static SecretsException altered(String what) {
    return new SecretsException(
        "cannot decrypt " + what + ": the stored value is damaged; store it again");
  }

  /** Whether a stored text looks like an encrypted one. */
  static boolean isEncrypted(String stored) {
    return stored != null && stored.startsWith(V1);
  }
}
