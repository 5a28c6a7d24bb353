package dev.weir.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  private static final byte[] KEY = new byte[32];
  private static final byte[] OTHER_KEY = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      KEY[i] = (byte) i;
      OTHER_KEY[i] = (byte) (100 + i);
    }
  }

  private final SecretCipher cipher = new SecretCipher(MasterKey.of(KEY));

  @Test
  void should_round_trip_texts_with_a_version_prefix_and_a_fresh_iv_each_time() {
    String plain = "p@ss wörd ✓ " + "x".repeat(1000);

    String first = cipher.encrypt(plain, "connection/db/password");
    String second = cipher.encrypt(plain, "connection/db/password");

    assertThat(first).startsWith("v1:").doesNotContain("p@ss").isNotEqualTo(second);
    assertThat(cipher.decrypt(first, "connection/db/password", "x")).isEqualTo(plain);
    assertThat(cipher.decrypt(second, "connection/db/password", "x")).isEqualTo(plain);
    assertThat(cipher.decrypt(cipher.encrypt("", "c"), "c", "x")).isEmpty();
    // 12-byte IV + ciphertext + 16-byte tag.
    assertThat(Base64.getDecoder().decode(cipher.encrypt("abc", "c").substring(3))).hasSize(31);
  }

  @Test
  void should_detect_a_tampered_value() {
    String stored = cipher.encrypt("hunter22", "variable/db_password");
    byte[] bytes = Base64.getDecoder().decode(stored.substring(3));
    bytes[bytes.length - 20] ^= 1;
    String tampered = "v1:" + Base64.getEncoder().encodeToString(bytes);

    assertThatThrownBy(
            () -> cipher.decrypt(tampered, "variable/db_password", "variable 'db_password'"))
        .isInstanceOf(SecretsException.class)
        .hasMessageStartingWith("cannot decrypt variable 'db_password': the secret key changed")
        .hasMessageContaining("or the stored value was altered");
    assertThatThrownBy(() -> cipher.decrypt("v1:AAAA", "variable/db_password", "variable 'x'"))
        .hasMessage("cannot decrypt variable 'x': the stored value is damaged; store it again");
    assertThatThrownBy(() -> cipher.decrypt("v1:not base64!", "c", "variable 'x'"))
        .hasMessageContaining("damaged");
  }

  @Test
  void should_refuse_a_value_moved_to_another_row() {
    String stored = cipher.encrypt("hunter22", "connection/a/password");

    assertThatThrownBy(
            () -> cipher.decrypt(stored, "connection/b/password", "the password of connection 'b'"))
        .isInstanceOf(SecretsException.class)
        .hasMessageStartingWith("cannot decrypt the password of connection 'b'");
  }

  @Test
  void should_say_the_key_changed_and_where_the_key_comes_from() {
    String stored = cipher.encrypt("hunter22", "variable/api_key");
    SecretCipher other =
        new SecretCipher(
            MasterKey.from(
                Map.of(MasterKey.VARIABLE, Base64.getEncoder().encodeToString(OTHER_KEY)),
                java.nio.file.Path.of("/nonexistent")));

    assertThatThrownBy(() -> other.decrypt(stored, "variable/api_key", "variable 'api_key'"))
        .isInstanceOf(SecretsException.class)
        .hasMessage(
            "cannot decrypt variable 'api_key': the secret key changed since it was stored (the"
                + " key now comes from WEIR_SECRET_KEY), or the stored value was altered; restore"
                + " the old key or store the value again");
  }

  @Test
  void should_name_an_unknown_format() {
    assertThatThrownBy(() -> cipher.decrypt("v9:abcd", "c", "variable 'x'"))
        .hasMessage(
            "cannot decrypt variable 'x': it is stored in format 'v9', unknown to this Weir; store"
                + " it again");
    assertThatThrownBy(() -> cipher.decrypt("plain text", "c", "variable 'x'"))
        .hasMessageContaining("no known format");
  }
}
