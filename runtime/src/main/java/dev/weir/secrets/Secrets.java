package dev.weir.secrets;

import dev.weir.model.Connection;
import dev.weir.secrets.SecretsStore.Contents;
import dev.weir.secrets.SecretsStore.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections and variables tasks see, and the masker of their secrets in task logs.
 *
 * <p>{@code WEIR_CONN_<ID>} (a URI or JSON object, see {@link ConnectionUris}) and {@code
 * WEIR_VAR_<KEY>} win over the store; {@code <ID>} and {@code <KEY>} are the id and key in upper
 * case ({@code mydb} is {@code WEIR_CONN_MYDB}). The environment is read once.
 *
 * <p>The store is read into memory once and then checked at most once per {@link #REFRESH} (reading
 * the one-row {@code secret_version}, re-reading everything only when it changed), so lookups and
 * {@link #mask} never wait for the database but on that check; a lookup that misses checks again at
 * once (at most every {@link #MISS_REFRESH}), so a connection added a moment ago is found. A store
 * that cannot be read keeps what was read before. Thread-safe.
 */
public final class Secrets {
  private static final Logger log = LoggerFactory.getLogger(Secrets.class);

  /** The prefix of a connection's environment variable. */
  public static final String CONN_PREFIX = "WEIR_CONN_";

  /** The prefix of a variable's environment variable. */
  public static final String VAR_PREFIX = "WEIR_VAR_";

  /** How often the store is checked for changes. */
  public static final Duration REFRESH = Duration.ofSeconds(1);

  /** How often a lookup that finds nothing may check the store again at once. */
  public static final Duration MISS_REFRESH = Duration.ofMillis(100);

  private static final Contents EMPTY = new Contents(-1, Map.of(), Map.of());

  private final Map<String, Result<Connection>> envConnections;
  private final Map<String, String> envVariables;
  private final List<String> envSecrets;
  private final SecretsStore store;
  private final long refreshNanos;
  private final long missRefreshNanos;
  private final LongSupplier ticker;
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile Snapshot snapshot;

  private record Snapshot(long checkedAt, Contents contents, Masker masker) {
    Snapshot checkedAt(long now) {
      return new Snapshot(now, contents, masker);
    }
  }

  /** The environment's connections and variables alone, for runs without a store. */
  public static Secrets of(Map<String, String> environment) {
    return new Secrets(environment, null, REFRESH, System::nanoTime);
  }

  /**
   * The environment's connections and variables over the store's; reads the store now.
   *
   * @throws dev.weir.store.StoreException when the store cannot be read
   */
  public static Secrets of(Map<String, String> environment, SecretsStore store) {
    return new Secrets(environment, store, REFRESH, System::nanoTime);
  }

  Secrets(
      Map<String, String> environment,
      SecretsStore store,
      Duration refresh,
      LongSupplier nanoTicker) {
    this.store = store;
    this.refreshNanos = refresh.toNanos();
    this.missRefreshNanos = Math.min(refreshNanos, MISS_REFRESH.toNanos());
    this.ticker = nanoTicker;
    Map<String, Result<Connection>> connections = new LinkedHashMap<>();
    Map<String, String> variables = new LinkedHashMap<>();
    List<String> secrets = new ArrayList<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(CONN_PREFIX) && name.length() > CONN_PREFIX.length()) {
            String id = name.substring(CONN_PREFIX.length());
            try {
              Connection connection = ConnectionUris.parse(id, value);
              connections.put(name, new Result<>(connection, null, true));
              secrets.addAll(secretsOf(connection));
            } catch (IllegalArgumentException e) {
              connections.put(
                  name,
                  new Result<>(
                      null,
                      new SecretsException("environment variable " + name + " " + e.getMessage()),
                      true));
              secrets.add(value.strip()); // unreadable, so all of it may be secret
            }
          } else if (name.startsWith(VAR_PREFIX) && name.length() > VAR_PREFIX.length()) {
            variables.put(name, value);
            if (SecretNames.looksSecret(name.substring(VAR_PREFIX.length()))) {
              secrets.add(value);
            }
          }
        });
    // A task's child process inherits the environment: hide the key too, if it echoes it.
    String key = environment.get(MasterKey.VARIABLE);
    if (key != null) {
      secrets.add(key.strip());
    }
    this.envConnections = Collections.unmodifiableMap(connections);
    this.envVariables = Collections.unmodifiableMap(variables);
    this.envSecrets = List.copyOf(secrets);
    this.snapshot = snapshot(store == null ? EMPTY : store.contents(), ticker.getAsLong());
  }

  /**
   * A connection by id: {@code WEIR_CONN_<ID>}, else the store's.
   *
   * @throws SecretsException naming the id when there is none, or it cannot be parsed or decrypted
   */
  public Connection connection(String id) {
    String name = CONN_PREFIX + id.toUpperCase(Locale.ROOT);
    Result<Connection> fromEnvironment = envConnections.get(name);
    if (fromEnvironment != null) {
      Connection c = fromEnvironment.get();
      return new Connection(
          id, c.type(), c.host(), c.port(), c.schema(), c.login(), c.password(), c.extra());
    }
    Result<Connection> stored = lookup(contents -> contents.connections().get(id));
    if (stored == null) {
      throw new SecretsException(
          "no connection '"
              + id
              + "': add it with weir connections add "
              + id
              + " --conn-uri TYPE://LOGIN:PASSWORD@HOST:PORT/SCHEMA, or set "
              + name);
    }
    return stored.get();
  }

  /**
   * A variable by key: {@code WEIR_VAR_<KEY>}, else the store's; empty when there is none.
   *
   * @throws SecretsException naming the key when it cannot be decrypted
   */
  public Optional<String> variable(String key) {
    String fromEnvironment = envVariables.get(VAR_PREFIX + key.toUpperCase(Locale.ROOT));
    if (fromEnvironment != null) {
      return Optional.of(fromEnvironment);
    }
    Result<String> stored = lookup(contents -> contents.variables().get(key));
    return stored == null ? Optional.empty() : Optional.of(stored.get());
  }

  /** The error for a variable that is neither in the environment nor in the store. */
  public static IllegalArgumentException noVariable(String key) {
    return new IllegalArgumentException(
        "no variable '"
            + key
            + "': set it with weir variables set "
            + key
            + " VALUE, or "
            + VAR_PREFIX
            + key.toUpperCase(java.util.Locale.ROOT));
  }

  /** The text with every secret value known here replaced by {@code ***}. */
  public String mask(String text) {
    return current().masker().mask(text);
  }

  /** How many texts {@link #mask} hides now, including derived forms; for tests and logs. */
  public int maskedCount() {
    return current().masker().size();
  }

  private <T> T lookup(Function<Contents, T> find) {
    Snapshot before = current();
    T found = find.apply(before.contents());
    if (found != null || store == null) {
      return found;
    }
    // Perhaps added a moment ago: check now, unless that was just done.
    return find.apply(refresh(missRefreshNanos, true).contents());
  }

  private Snapshot current() {
    return store == null ? snapshot : refresh(refreshNanos, false);
  }

  /**
   * The snapshot, first checked against the store when it is older than {@code maxAge}. Without
   * {@code wait}, a thread that finds another checking uses the snapshot as it is.
   */
  private Snapshot refresh(long maxAge, boolean wait) {
    Snapshot s = snapshot;
    if (ticker.getAsLong() - s.checkedAt() < maxAge) {
      return s;
    }
    if (wait) {
      refreshing.lock();
    } else if (!refreshing.tryLock()) {
      return s;
    }
    try {
      s = snapshot;
      long now = ticker.getAsLong();
      if (now - s.checkedAt() < maxAge) {
        return s; // checked by another thread while this one waited
      }
      Snapshot next;
      try {
        long version = store.version();
        next =
            version == s.contents().version() ? s.checkedAt(now) : snapshot(store.contents(), now);
      } catch (RuntimeException e) {
        log.warn(
            "Cannot read connections and variables from the metadata database; using those read"
                + " before: {}",
            e.toString());
        next = s.checkedAt(now);
      }
      snapshot = next;
      return next;
    } finally {
      refreshing.unlock();
    }
  }

  private Snapshot snapshot(Contents contents, long now) {
    List<String> secrets = new ArrayList<>(envSecrets);
    contents
        .connections()
        .forEach(
            (id, result) -> {
              if (result.error() != null) {
                log.warn("{}", result.error().getMessage());
              } else {
                secrets.addAll(secretsOf(result.value()));
              }
            });
    contents
        .variables()
        .forEach(
            (key, result) -> {
              if (result.error() != null) {
                log.warn("{}", result.error().getMessage());
              } else if (result.secret()) {
                secrets.add(result.value());
              }
            });
    return new Snapshot(now, contents, Masker.of(secrets));
  }

  /** The password and the values of secret-looking extras of a connection. */
  static List<String> secretsOf(Connection connection) {
    List<String> secrets = new ArrayList<>();
    if (connection.password() != null) {
      secrets.add(connection.password());
    }
    SecretNames.collectSecrets(connection.extra(), false, secrets);
    return secrets;
  }
}
