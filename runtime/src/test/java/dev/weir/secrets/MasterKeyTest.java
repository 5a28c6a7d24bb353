package dev.weir.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.secrets.MasterKey.SecretKeyException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
  @TempDir Path home;

  private Path keyFile() {
    return home.resolve(MasterKey.FILE_NAME);
  }

  @Test
  void should_make_the_key_file_on_first_use_readable_by_the_owner_only() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    MasterKey key = MasterKey.from(Map.of(), home);
    assertThat(keyFile()).as("made only when needed").doesNotExist();

    String stored = new SecretCipher(key).encrypt("hunter22", "c");

    assertThat(keyFile()).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())))
        .isEqualTo("rw-------");
    assertThat(Base64.getDecoder().decode(Files.readString(keyFile()).strip())).hasSize(32);
    assertThat(key.origin()).isEqualTo("the key file " + keyFile());
    try (var files = Files.list(home)) {
      assertThat(files).as("no temporary file left").containsExactly(keyFile());
    }
    // Another process on the same home reads the same key.
    assertThat(new SecretCipher(MasterKey.from(Map.of(), home)).decrypt(stored, "c", "x"))
        .isEqualTo("hunter22");
  }

  @Test
  void should_make_one_key_when_processes_race_to_make_it() throws Exception {
    int racers = 16;
    ExecutorService threads = Executors.newFixedThreadPool(racers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> ciphertexts = new ArrayList<>();
    try {
      for (int i = 0; i < racers; i++) {
        ciphertexts.add(
            threads.submit(
                () -> {
                  start.await();
                  return new SecretCipher(MasterKey.from(Map.of(), home)).encrypt("same", "c");
                }));
      }
      start.countDown();
      SecretCipher reader = new SecretCipher(MasterKey.from(Map.of(), home));
      for (Future<String> ciphertext : ciphertexts) {
        assertThat(reader.decrypt(ciphertext.get(), "c", "x")).isEqualTo("same");
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void should_use_weir_secret_key_and_make_no_file() {
    String value = MasterKey.generate();
    MasterKey key = MasterKey.from(Map.of(MasterKey.VARIABLE, value + "\n"), home);
    String stored = new SecretCipher(key).encrypt("hunter22", "c");

    assertThat(key.origin()).isEqualTo("WEIR_SECRET_KEY");
    assertThat(keyFile()).doesNotExist();
    assertThat(
            new SecretCipher(MasterKey.of(Base64.getDecoder().decode(value)))
                .decrypt(stored, "c", "x"))
        .isEqualTo("hunter22");
  }

  @Test
  void should_refuse_a_malformed_weir_secret_key_without_printing_it() {
    assertThatThrownBy(
            () -> MasterKey.from(Map.of(MasterKey.VARIABLE, "not-base64-at-all!!"), home))
        .isInstanceOf(SecretKeyException.class)
        .hasMessage(
            "WEIR_SECRET_KEY is not valid base64; expected the base64 of 32 random bytes, such as"
                + " 'openssl rand -base64 32' prints")
        .hasMessageNotContaining("not-base64-at-all");
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> MasterKey.from(Map.of(MasterKey.VARIABLE, short16), home))
        .isInstanceOf(SecretKeyException.class)
        .hasMessageStartingWith("WEIR_SECRET_KEY decodes to 16 bytes, not 32; expected")
        .hasMessageNotContaining(short16);
  }

  @Test
  void should_name_a_damaged_key_file() throws Exception {
    Files.writeString(keyFile(), "AAAAAAAAAAA=\n");
    SecretCipher cipher = new SecretCipher(MasterKey.from(Map.of(), home));

    assertThatThrownBy(() -> cipher.encrypt("x", "c"))
        .isInstanceOf(SecretKeyException.class)
        .hasMessageStartingWith("the key file " + keyFile() + " decodes to");
    assertThatThrownBy(() -> cipher.decrypt("v1:" + "A".repeat(40), "c", "variable 'x'"))
        .isInstanceOf(SecretsException.class)
        .hasMessageStartingWith("cannot decrypt variable 'x': the key file " + keyFile());
  }
}
