package dev.weir.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weir.config.Settings;
import dev.weir.config.Settings.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The metadata database: a connection pool from the settings {@code db.url}, {@code db.user},
 * {@code db.password} and {@code db.pool-size}, and its schema migrations.
 *
 * <p>Without {@code db.url} it is the H2 file {@code <WEIR_HOME>/weir}, opened in H2's automatic
 * mixed mode so that the command line can use it while the scheduler holds it, and written on every
 * commit so that a killed process loses no committed transaction.
 */
public final class Database implements AutoCloseable {
  public static final String URL = "db.url";
  public static final String USER = "db.user";
  public static final String PASSWORD = "db.password";
  public static final String POOL_SIZE = "db.pool-size";

  static final int DEFAULT_POOL_SIZE = 10;
  private static final String H2 = "jdbc:h2:";
  private static final String POSTGRES = "jdbc:postgresql:";

  private final HikariDataSource dataSource;
  private final String displayUrl;
  private final Flyway flyway;

  private Database(HikariDataSource dataSource, String displayUrl) {
    this.dataSource = dataSource;
    this.displayUrl = displayUrl;
    this.flyway =
        Flyway.configure()
            // Its own connections: Flyway holds two at once, more than a pool of one has.
            .dataSource(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword())
            .locations("classpath:db/migration")
            // A misnamed file would otherwise be skipped without a word.
            .validateMigrationNaming(true)
            .loggers("slf4j")
            .load();
  }

  /**
   * Connects to the database of these settings and applies pending migrations.
   *
   * @throws SettingsException when a {@code db.*} setting is unusable
   * @throws StoreException when the database cannot be reached or migrated
   */
  public static Database open(Settings settings) {
    Database database = connect(settings);
    try {
      database.migrate();
      return database;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Connects to the database of these settings without migrating it, to {@link #check()} it. */
  public static Database connect(Settings settings) {
    String url = settings.get(URL).orElse(null);
    String user;
    String password;
    if (url == null) {
      url = defaultUrl(settings.home());
      user = settings.get(USER, "sa");
      password = settings.get(PASSWORD).orElseGet(() -> localPassword(settings.home()));
    } else {
      if (!url.startsWith(H2) && !url.startsWith(POSTGRES)) {
        throw new SettingsException(
            URL, mask(url), "a PostgreSQL (jdbc:postgresql:) or H2 (jdbc:h2:) JDBC URL");
      }
      user = settings.get(USER).orElse(null);
      password = settings.get(PASSWORD).orElse(null);
    }
    int poolSize = settings.positiveInt(POOL_SIZE, DEFAULT_POOL_SIZE);

    HikariConfig config = new HikariConfig();
    config.setPoolName("weir-db");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    // A command-line process needs one connection; the pool grows when the scheduler needs more.
    config.setMinimumIdle(1);
    config.setAutoCommit(false);
    if (url.startsWith(POSTGRES)) {
      // Sends a batch of inserts as multi-row statements: the scheduler inserts many tries at once.
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    String displayUrl = mask(url);
    String origin =
        settings.get(URL).isPresent()
            ? "settings " + URL + ", " + USER + ", " + PASSWORD
            : "the default database of WEIR_HOME; setting " + URL + " chooses another";
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      // PoolInitializationException wraps the driver's SQLException; others say what is wrong.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StoreException(
          "cannot connect to the metadata database "
              + displayUrl
              + " ("
              + origin
              + "): "
              + cause.getMessage(),
          e);
    }
    try {
      return new Database(dataSource, displayUrl);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * The embedded database's password: random, made on first use, readable by the owner of the home
   * folder only. AUTO_SERVER's TCP port accepts connections from other hosts, so an empty password
   * would leave the metadata open to anyone who learns the port and the key of the lock file.
   */
  static String localPassword(Path home) {
    Path file = home.resolve("db.secret");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(home);
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        Path temp = Files.createTempFile(home, "db.secret", ".tmp", ownerOnly());
        try {
          Files.writeString(temp, java.util.HexFormat.of().formatHex(random));
          // Never replaces a password another process made first: theirs is the one in use.
          dev.weir.config.SecretFiles.publish(temp, file);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new StoreException("cannot read or create the database password " + file, e);
    }
  }

  private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
    if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new java.nio.file.attribute.FileAttribute<?>[0];
    }
    return new java.nio.file.attribute.FileAttribute<?>[] {
      java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
    };
  }

  // AUTO_SERVER lets another process connect while this one holds the file (through a TCP server
  // this process starts); WRITE_DELAY=0 writes every commit to the file before it returns.
  static String defaultUrl(Path home) {
    if (home.toString().contains(";")) {
      throw new SettingsException(
          "home", home.toString(), "a folder without ';' in its path, or set " + URL);
    }
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new StoreException("cannot create the home folder " + home + " (WEIR_HOME)", e);
    }
    return H2 + "file:" + home.resolve("weir") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
  }

  /** The pool of connections; they do not auto-commit. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The JDBC URL, without a password it may contain. */
  public String url() {
    return displayUrl;
  }

  /**
   * Applies pending migrations.
   *
   * @return how many it applied
   */
  public int migrate() {
    try {
      return flyway.migrate().migrationsExecuted;
    } catch (FlywayException e) {
      throw new StoreException(
          "cannot migrate the metadata database " + displayUrl + ": " + e.getMessage(), e);
    }
  }

  /** Which migrations are applied, pending or failed. */
  public SchemaStatus check() {
    try {
      List<SchemaStatus.Migration> migrations =
          Arrays.stream(flyway.info().all())
              .filter(MigrationInfo::isVersioned)
              .map(
                  info ->
                      new SchemaStatus.Migration(
                          info.getVersion().getVersion(),
                          info.getDescription(),
                          state(info.getState()),
                          info.getInstalledOn() == null ? null : info.getInstalledOn().toInstant()))
              .toList();
      return new SchemaStatus(migrations);
    } catch (FlywayException e) {
      throw new StoreException(
          "cannot read the migrations of the metadata database "
              + displayUrl
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static SchemaStatus.State state(MigrationState state) {
    if (state.isFailed()) {
      return SchemaStatus.State.FAILED;
    }
    if (!state.isResolved()) {
      return SchemaStatus.State.UNKNOWN;
    }
    return state.isApplied() ? SchemaStatus.State.APPLIED : SchemaStatus.State.PENDING;
  }

  static String mask(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
