package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.Settings;
import dev.weir.store.Database;
import dev.weir.users.Role;
import dev.weir.users.UserStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersCliTest {
  @TempDir Path home;

  private record Result(int exitCode, String out, String err) {}

  private Result weir(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of("WEIR_HOME", home.toString()));
    return new Result(code, out.toString(), err.toString());
  }

  private UserStore users(Database database) {
    return new UserStore(database);
  }

  private Database database() {
    return Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
  }

  @Test
  void should_create_list_and_delete_users() {
    Result created =
        weir("users", "create", "--username", "ana", "--role", "op", "--password", "s3cret-ana");
    weir("users", "create", "--username", "bo", "--role", "Viewer", "--password", "s3cret-bo!");

    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("User 'ana' created with role Op.\n");
    Result list = weir("users", "list");
    assertThat(list.out()).contains("USERNAME", "ana", "Op", "bo", "Viewer");
    assertThat(weir("users", "list", "-o", "json").out())
        .contains("\"username\" : \"ana\"", "\"role\" : \"Op\"");
    try (Database database = database()) {
      assertThat(users(database).authenticate("ana", "s3cret-ana", Instant.now())).isPresent();
    }

    assertThat(weir("users", "delete", "bo").out()).isEqualTo("User 'bo' deleted.\n");
    Result again = weir("users", "delete", "bo");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).startsWith("weir: no user 'bo'");
  }

  @Test
  void should_explain_bad_input_and_create_nothing() {
    Result role =
        weir("users", "create", "--username", "ana", "--role", "boss", "--password", "longenough");
    Result shortPassword =
        weir("users", "create", "--username", "ana", "--role", "User", "--password", "short");
    Result noTerminal = weir("users", "create", "--username", "ana", "--role", "User");

    assertThat(role.exitCode()).isEqualTo(2);
    assertThat(role.err())
        .isEqualTo("weir: unknown role 'boss'; the roles are Viewer, User, Op, Admin\n");
    assertThat(shortPassword.err()).isEqualTo("weir: a password needs at least 8 characters\n");
    assertThat(noTerminal.err())
        .isEqualTo(
            "weir: no terminal to ask for the password of 'ana'; give --password or"
                + " --password-stdin\n");
    try (Database database = database()) {
      assertThat(users(database).users()).isEmpty();
    }
  }

  @Test
  void should_print_an_api_token_once_and_revoke_it() {
    weir("users", "create", "--username", "ana", "--role", "User", "--password", "s3cret-ana");

    Result token = weir("users", "token", "--username", "ana", "--name", "ci");
    String printed = token.out().strip();

    assertThat(token.exitCode()).isZero();
    assertThat(printed).matches("[A-Za-z0-9_-]{43}");
    try (Database database = database()) {
      assertThat(users(database).tokenUser(printed, Instant.now()).orElseThrow().role())
          .isEqualTo(Role.USER);
    }
    assertThat(weir("users", "token", "--username", "ana", "--name", "ci").err())
        .isEqualTo("weir: user 'ana' has a token named 'ci' already\n");
    assertThat(weir("users", "token", "--username", "ana", "--name", "ci", "--revoke").out())
        .isEqualTo("Token 'ci' of 'ana' revoked.\n");
    try (Database database = database()) {
      assertThat(users(database).tokenUser(printed, Instant.now())).isEmpty();
    }
  }

  @Test
  void should_change_a_password() {
    weir("users", "create", "--username", "ana", "--role", "User", "--password", "s3cret-ana");

    Result changed = weir("users", "set-password", "ana", "--password", "new-s3cret");

    assertThat(changed.out()).isEqualTo("Password of 'ana' changed.\n");
    try (Database database = database()) {
      assertThat(users(database).authenticate("ana", "new-s3cret", Instant.now())).isPresent();
      assertThat(users(database).authenticate("ana", "s3cret-ana", Instant.now())).isEmpty();
    }
  }
}
