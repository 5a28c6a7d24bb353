package dev.weir.web;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.SecretsStore;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.users.Role;
import dev.weir.users.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A real web server on a free port over a real H2 store in a temporary home, with one user per role
 * ({@code viewer}, {@code user}, {@code op}, {@code admin}, each with password {@link #PASSWORD})
 * and a DAGs folder the test fills before {@link #start}.
 */
final class WebFixture implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";

  final Path home;
  final Path dags;
  final Settings settings;
  final Database database;
  final MetadataStore store;
  final UserStore users;
  final SecretsStore secrets;
  final Clock clock;
  private DagBag bag;
  private WebServer server;

  WebFixture(Path temp) {
    this(temp, Clock.systemUTC());
  }

  WebFixture(Path temp, Clock clock) {
    this.home = temp.resolve("home");
    this.dags = temp.resolve("dags");
    this.clock = clock;
    try {
      Files.createDirectories(dags);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.settings = Settings.load(Map.of("WEIR_HOME", home.toString()));
    this.database = Database.open(settings);
    this.store = new JdbcMetadataStore(database);
    this.users = new UserStore(database);
    this.secrets = new SecretsStore(database, new SecretCipher(MasterKey.from(settings)));
    for (Role role : Role.values()) {
      users.create(
          role.label().toLowerCase(java.util.Locale.ROOT), role, PASSWORD, clock.instant());
    }
  }

  /** Writes a DAG script into the DAGs folder. */
  WebFixture dag(String file, String script) {
    try {
      Files.writeString(dags.resolve(file), script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Loads the DAGs folder and starts the server on a free port of 127.0.0.1. */
  WebFixture start() {
    bag = new DagBag(dags, DagBagOptions.defaults(), clock);
    bag.refresh();
    server =
        WebServer.start(
            new WebServices(settings, store, users, secrets, bag, clock), "127.0.0.1", 0);
    return this;
  }

  DagBag bag() {
    return bag;
  }

  WebServer server() {
    return server;
  }

  /** An API client logged in as the user of this role; it checks responses against openapi.json. */
  ApiClient api(Role role) {
    return new ApiClient(loggedIn(role));
  }

  /** An API client without a login. */
  ApiClient anonymousApi() {
    return new ApiClient(anonymous());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A client without a login. */
  WebClient anonymous() {
    return new WebClient(baseUrl());
  }

  /** A client logged in through the login form as the user of this role. */
  WebClient loggedIn(Role role) {
    WebClient client = new WebClient(baseUrl());
    client.login(role.label().toLowerCase(java.util.Locale.ROOT), PASSWORD);
    return client;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (bag != null) {
      bag.close();
    }
    store.close();
    database.close();
  }
}
