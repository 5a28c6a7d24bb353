package dev.weir.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Weir's configuration: {@code weir.properties} in the home folder, overridden by {@code WEIR_*}
 * environment variables. A key {@code db.url} is {@code WEIR_DB_URL} in the environment.
 */
public final class Settings {
  public static final String FILE_NAME = "weir.properties";

  private final Path home;
  private final Properties file;
  private final Map<String, String> environment;

  private Settings(Path home, Properties file, Map<String, String> environment) {
    this.home = home;
    this.file = file;
    this.environment = environment;
  }

  /** The settings of the home folder {@code WEIR_HOME} (default {@code ./.weir}). */
  public static Settings fromEnvironment() {
    return load(System.getenv());
  }

  /** Settings from this environment; the home folder need not exist yet. */
  public static Settings load(Map<String, String> environment) {
    Path home =
        Path.of(environment.getOrDefault("WEIR_HOME", ".weir")).toAbsolutePath().normalize();
    Properties file = new Properties();
    Path config = home.resolve(FILE_NAME);
    if (Files.isRegularFile(config)) {
      try (Reader reader = Files.newBufferedReader(config)) {
        file.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + config, e);
      }
    }
    return new Settings(home, file, Map.copyOf(environment));
  }

  /** The home folder: database, logs and configuration. */
  public Path home() {
    return home;
  }

  /**
   * The environment variables these settings were read with, such as {@code WEIR_CONN_*}; never
   * {@code System.getenv} when a test gave others.
   */
  public Map<String, String> environment() {
    return environment;
  }

  /** The folder of task logs. */
  public Path logsFolder() {
    return home.resolve("logs");
  }

  /**
   * The folder of plugin jars: setting {@code plugins.folder} ({@code WEIR_PLUGINS_FOLDER}), by
   * default {@code plugins} in the home folder.
   */
  public Path pluginsFolder() {
    return get("plugins.folder").map(Path::of).map(home::resolve).orElse(home.resolve("plugins"));
  }

  /** A setting by key ({@code db.url}), from the environment first, then the file. */
  public Optional<String> get(String key) {
    String value = environment.get(variable(key));
    if (value == null) {
      value = file.getProperty(key);
    }
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }

  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  /**
   * A whole number setting.
   *
   * @throws SettingsException when it is not a positive number
   */
  public int positiveInt(String key, int fallback) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.get());
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SettingsException(key, value.get(), "a whole number greater than 0");
  }

  /** A duration setting such as {@code 30s}, {@code 500ms}, {@code 2m} or ISO {@code PT30S}. */
  public Duration duration(String key, Duration fallback) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return fallback;
    }
    return parseDuration(value.get())
        .orElseThrow(() -> new SettingsException(key, value.get(), "a duration such as 30s"));
  }

  static Optional<Duration> parseDuration(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("pt")) {
        return Optional.of(Duration.parse(value));
      }
      if (value.endsWith("ms")) {
        return Optional.of(
            Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))));
      }
      long amount = Long.parseLong(value.substring(0, value.length() - 1));
      return switch (value.charAt(value.length() - 1)) {
        case 's' -> Optional.of(Duration.ofSeconds(amount));
        case 'm' -> Optional.of(Duration.ofMinutes(amount));
        case 'h' -> Optional.of(Duration.ofHours(amount));
        default -> Optional.empty();
      };
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The environment variable of a key: {@code db.pool-size} is {@code WEIR_DB_POOL_SIZE}. */
  static String variable(String key) {
    return "WEIR_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A setting with a value Weir cannot use. */
  public static final class SettingsException extends RuntimeException {
    public SettingsException(String key, String value, String expected) {
      super("setting " + key + " (" + variable(key) + ") is '" + value + "'; expected " + expected);
    }
  }
}
