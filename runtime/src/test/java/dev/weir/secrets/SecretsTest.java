package dev.weir.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.Settings;
import dev.weir.model.Connection;
import dev.weir.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution of connections and variables for tasks: environment over store, cached. */
class SecretsTest {
  @TempDir Path home;
  private Database database;
  private SecretsStore store;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @BeforeEach
  void openStore() {
    database = Database.open(Settings.load(Map.of("WEIR_HOME", home.toString())));
    store =
        new SecretsStore(database, new SecretCipher(MasterKey.of(SecretsStoreContractTest.KEY)));
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  private Secrets secrets(Map<String, String> environment) {
    return new Secrets(environment, store, Duration.ofSeconds(1), nanos::get);
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Test
  void should_let_the_environment_win_over_the_store() {
    store.addConnection(SecretsStoreContractTest.WAREHOUSE, null);
    store.setVariable("region", "stored-region", null);
    store.setVariable("bucket", "stored-bucket", null);
    Secrets secrets =
        secrets(
            Map.of(
                "WEIR_CONN_WAREHOUSE",
                "postgres://env%20user:env%40pw@env-host:6543/envdb?sslmode=disable",
                "WEIR_VAR_REGION",
                "env-region"));

    assertThat(secrets.connection("warehouse"))
        .isEqualTo(
            new Connection(
                "warehouse",
                "postgres",
                "env-host",
                6543,
                "envdb",
                "env user",
                "env@pw",
                Map.of("sslmode", "disable")));
    assertThat(secrets.variable("region")).contains("env-region");
    assertThat(secrets.variable("Region")).as("matched by upper case").contains("env-region");
    assertThat(secrets.variable("bucket")).contains("stored-bucket");
    assertThat(secrets.variable("nope")).isEmpty();
  }

  @Test
  void should_read_json_connections_from_the_environment_without_a_store() {
    Secrets secrets =
        Secrets.of(
            Map.of(
                "WEIR_CONN_API",
                "{\"conn_type\": \"http\", \"host\": \"api\", \"extra\": {\"api_key\": \"k-12345\"}}",
                "WEIR_CONN_BAD",
                "not a uri with hunter22"));

    assertThat(secrets.connection("api").extra()).containsEntry("api_key", "k-12345");
    assertThat(secrets.connection("api").id()).isEqualTo("api");
    assertThatThrownBy(() -> secrets.connection("bad"))
        .isInstanceOf(SecretsException.class)
        .hasMessageStartingWith("environment variable WEIR_CONN_BAD is not a connection URI")
        .hasMessageNotContaining("hunter22");
    assertThat(secrets.mask("k-12345 and not a uri with hunter22")).isEqualTo("*** and ***");
  }

  @Test
  void should_say_how_to_add_a_missing_connection() {
    assertThatThrownBy(() -> secrets(Map.of()).connection("my_db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no connection 'my_db': add it with weir connections add my_db --conn-uri"
                + " TYPE://LOGIN:PASSWORD@HOST:PORT/SCHEMA, or set WEIR_CONN_MY_DB");
  }

  @Test
  void should_mask_every_secret_of_store_and_environment() {
    store.addConnection(SecretsStoreContractTest.WAREHOUSE, null);
    store.setVariable("slack_token", "xoxb-stored", null);
    store.setVariable("region", "eu-west-1", null);
    Secrets secrets =
        secrets(
            Map.of(
                "WEIR_CONN_OTHER", "mysql://u:env-pass@h",
                "WEIR_VAR_API_KEY", "env-api-key",
                "WEIR_VAR_COLOR", "green-blue",
                "WEIR_SECRET_KEY", MasterKey.generate()));

    assertThat(
            secrets.mask(
                "hunter22-pw ak-77777 xoxb-stored env-pass env-api-key eu-west-1 green-blue etl"))
        .isEqualTo("*** *** *** *** *** eu-west-1 green-blue etl");
  }

  @Test
  void should_serve_lookups_and_masking_from_memory_between_checks() {
    store.setVariable("db_password", "first-pw", null);
    Secrets secrets = secrets(Map.of());
    database.close(); // any query from now on fails

    for (int i = 0; i < 10_000; i++) {
      assertThat(secrets.variable("db_password")).contains("first-pw");
      assertThat(secrets.mask("pw first-pw")).isEqualTo("pw ***");
    }
    advance(Duration.ofSeconds(2));
    // The check fails: what was read before stays.
    assertThat(secrets.variable("db_password")).contains("first-pw");
    assertThat(secrets.mask("pw first-pw")).isEqualTo("pw ***");
  }

  @Test
  void should_see_changes_of_other_processes_after_the_refresh_interval() {
    store.setVariable("db_password", "first-pw", null);
    Secrets secrets = secrets(Map.of());
    SecretsStore otherProcess =
        new SecretsStore(database, new SecretCipher(MasterKey.of(SecretsStoreContractTest.KEY)));

    otherProcess.setVariable("db_password", "second-pw", null);
    assertThat(secrets.variable("db_password")).contains("first-pw");
    assertThat(secrets.mask("second-pw")).isEqualTo("second-pw");

    advance(Duration.ofMillis(1001));
    assertThat(secrets.variable("db_password")).contains("second-pw");
    assertThat(secrets.mask("first-pw second-pw")).isEqualTo("first-pw ***");
  }

  @Test
  void should_check_at_once_when_a_lookup_misses() {
    Secrets secrets = secrets(Map.of());
    store.addConnection(SecretsStoreContractTest.WAREHOUSE, null);
    store.setVariable("fresh", "v", null);

    advance(Duration.ofMillis(150));
    assertThat(secrets.connection("warehouse")).isEqualTo(SecretsStoreContractTest.WAREHOUSE);
    assertThat(secrets.variable("fresh")).contains("v");
  }

  @Test
  void should_name_a_stored_value_that_cannot_be_decrypted() {
    store.addConnection(SecretsStoreContractTest.WAREHOUSE, null);
    store.setVariable("api_token", "t-1234", null);
    SecretsStore withOtherKey =
        new SecretsStore(
            database, new SecretCipher(MasterKey.of(SecretsStoreContractTest.OTHER_KEY)));
    Secrets secrets = new Secrets(Map.of(), withOtherKey, Duration.ofSeconds(1), nanos::get);

    assertThatThrownBy(() -> secrets.connection("warehouse"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot decrypt the password of connection 'warehouse': the secret key changed");
    assertThatThrownBy(() -> secrets.variable("api_token"))
        .hasMessageStartingWith("cannot decrypt variable 'api_token': the secret key changed");
  }

  @Test
  void should_look_up_quickly_with_a_store() {
    for (int i = 0; i < 50; i++) {
      store.setVariable("var_" + i, "value-" + i, null);
      store.setVariable("token_" + i, "secret-token-" + i, null);
    }
    Secrets secrets = Secrets.of(Map.of(), store);
    int lookups = 200_000;
    for (int i = 0; i < lookups; i++) {
      secrets.variable("var_" + (i % 50)).orElseThrow(); // warm up
    }
    long start = System.nanoTime();
    for (int i = 0; i < lookups; i++) {
      secrets.variable("var_" + (i % 50)).orElseThrow();
    }
    double perLookup = (System.nanoTime() - start) / (double) lookups;
    System.out.printf(
        "Secrets: %.0f ns per variable lookup with a store (%.0f per second)%n",
        perLookup, 1e9 / perLookup);
    assertThat(perLookup).isLessThan(50_000);
  }
}
