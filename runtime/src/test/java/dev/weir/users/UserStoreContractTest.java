package dev.weir.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database under {@link UserStore} must do, run on H2 and on PostgreSQL. */
abstract class UserStoreContractTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final String PASSWORD = "s3cret-enough";

  Database database;
  UserStore users;

  protected abstract Database openDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    database = openDatabase();
    users = new UserStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void should_create_list_and_delete_users_with_hashed_passwords() throws Exception {
    users.create("ana", Role.OP, PASSWORD, NOW);
    users.create("bo", Role.VIEWER, PASSWORD, NOW);

    assertThat(users.users())
        .extracting(UserRow::username, UserRow::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ana", Role.OP),
            org.assertj.core.groups.Tuple.tuple("bo", Role.VIEWER));
    try (var c = database.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery("SELECT password_hash FROM web_user WHERE username = 'ana'")) {
      rs.next();
      assertThat(rs.getString(1)).startsWith("$2a$11$").doesNotContain(PASSWORD);
    }
    assertThat(users.delete("bo")).isTrue();
    assertThat(users.delete("bo")).isFalse();
    assertThat(users.user("bo")).isEmpty();
  }

  @Test
  void should_refuse_a_taken_or_malformed_name_and_a_short_password() {
    users.create("ana", Role.USER, PASSWORD, NOW);

    assertThatThrownBy(() -> users.create("ana", Role.ADMIN, PASSWORD, NOW))
        .isInstanceOf(UsersException.class)
        .hasMessage("user 'ana' exists already");
    assertThatThrownBy(() -> users.create("<script>", Role.ADMIN, PASSWORD, NOW))
        .hasMessageContaining("a username has 1 to 64 letters");
    assertThatThrownBy(() -> users.create("cy", Role.ADMIN, "short", NOW))
        .hasMessage("a password needs at least 8 characters");
    assertThat(users.user("ana").orElseThrow().role()).isEqualTo(Role.USER);
  }

  @Test
  void should_authenticate_only_the_right_password_and_record_the_login() {
    users.create("ana", Role.USER, PASSWORD, NOW);

    assertThat(users.authenticate("ana", "wrong password", NOW)).isEmpty();
    assertThat(users.authenticate("nobody", PASSWORD, NOW)).isEmpty();
    UserRow ana = users.authenticate("ana", PASSWORD, NOW.plusSeconds(5)).orElseThrow();

    assertThat(ana.lastLoginAt()).isEqualTo(NOW.plusSeconds(5));
    assertThat(users.setPassword("ana", "another one!")).isTrue();
    assertThat(users.authenticate("ana", PASSWORD, NOW)).isEmpty();
    assertThat(users.authenticate("ana", "another one!", NOW)).isPresent();
  }

  @Test
  void should_keep_sessions_until_they_expire_or_close() {
    UserRow ana = users.create("ana", Role.USER, PASSWORD, NOW);
    NewSession opened = users.openSession(ana, NOW, Duration.ofHours(1));

    Session live = users.session(opened.token(), NOW.plusSeconds(60)).orElseThrow();
    assertThat(live.user().username()).isEqualTo("ana");
    assertThat(live.csrfToken()).isEqualTo(opened.session().csrfToken()).hasSizeGreaterThan(40);
    assertThat(users.session(opened.token(), NOW.plus(Duration.ofHours(1)))).isEmpty();
    assertThat(users.session(opened.token() + "x", NOW)).isEmpty();

    NewSession second = users.openSession(ana, NOW, Duration.ofHours(1));
    users.closeSession(second.token());
    assertThat(users.session(second.token(), NOW)).isEmpty();
  }

  @Test
  void should_store_session_and_api_tokens_only_as_digests() throws Exception {
    UserRow ana = users.create("ana", Role.USER, PASSWORD, NOW);
    NewSession session = users.openSession(ana, NOW, Duration.ofHours(1));
    String token = users.createToken("ana", "ci", NOW);

    try (var c = database.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT token_hash FROM web_session UNION ALL SELECT token_hash FROM"
                        + " api_token")) {
      List<String> stored = new java.util.ArrayList<>();
      while (rs.next()) {
        stored.add(rs.getString(1));
      }
      assertThat(stored).hasSize(2).doesNotContain(session.token(), token);
      assertThat(stored).allMatch(hash -> hash.matches("[0-9a-f]{64}"));
    }
  }

  @Test
  void should_authenticate_api_tokens_until_revoked_or_the_user_is_deleted() {
    users.create("ana", Role.OP, PASSWORD, NOW);
    String token = users.createToken("ana", "ci", NOW);

    assertThat(users.tokenUser(token, NOW).orElseThrow().role()).isEqualTo(Role.OP);
    assertThat(users.tokens("ana"))
        .singleElement()
        .satisfies(row -> assertThat(row.lastUsedAt()).isEqualTo(NOW));
    assertThatThrownBy(() -> users.createToken("ana", "ci", NOW))
        .hasMessage("user 'ana' has a token named 'ci' already");
    assertThatThrownBy(() -> users.createToken("nobody", "ci", NOW))
        .hasMessage("there is no user 'nobody'");

    assertThat(users.deleteToken("ana", "ci")).isTrue();
    assertThat(users.tokenUser(token, NOW)).isEmpty();

    String other = users.createToken("ana", "cron", NOW);
    users.openSession(users.user("ana").orElseThrow(), NOW, Duration.ofHours(1));
    users.delete("ana");
    assertThat(users.tokenUser(other, NOW)).isEmpty();
  }
}
