package dev.weir.web.browser;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** Without chromium or chromedriver the browser tests skip, or fail when CI requires them. */
class BrowserBinariesTest {
  @TempDir Path temp;

  @Test
  void should_skip_without_chromedriver_when_not_required() throws IOException {
    Path chromium = executable("chromium");

    assertThatThrownBy(() -> Browser.requireBinaries(chromium, temp.resolve("chromedriver"), null))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(temp.resolve("chromedriver") + " is missing")
        .hasMessageContaining("apt-get install chromium chromium-driver");
  }

  @Test
  void should_fail_without_chromium_when_all_tests_are_required() throws IOException {
    Path chromedriver = executable("chromedriver");

    assertThatThrownBy(() -> Browser.requireBinaries(temp.resolve("chromium"), chromedriver, "1"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(temp.resolve("chromium") + " is missing: run .ci/run as root")
        .hasMessageContaining("WEIR_REQUIRE_ALL_TESTS requires them");
  }

  @Test
  void should_go_on_when_both_are_there() throws IOException {
    Path chromium = executable("chromium");
    Path chromedriver = executable("chromedriver");

    assertThatCode(() -> Browser.requireBinaries(chromium, chromedriver, "1"))
        .doesNotThrowAnyException();
  }

  private Path executable(String name) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
