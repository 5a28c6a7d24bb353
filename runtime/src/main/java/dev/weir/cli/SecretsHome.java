package dev.weir.cli;

import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.SecretsException;
import dev.weir.secrets.SecretsStore;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/** The connections and variables of {@code WEIR_HOME}'s metadata database, for one command. */
final class SecretsHome implements AutoCloseable {
  private final WeirHome home;
  private final SecretsStore store;

  private SecretsHome(WeirHome home, SecretsStore store) {
    this.home = home;
    this.store = store;
  }

  static SecretsHome open(CommandSpec command) {
    WeirHome home = WeirHome.open(command);
    try {
      return new SecretsHome(
          home,
          new SecretsStore(home.database(), new SecretCipher(MasterKey.from(home.settings()))));
    } catch (RuntimeException e) {
      home.close();
      throw e;
    }
  }

  SecretsStore store() {
    return store;
  }

  /** The result, or the command ends with the message of a value that cannot be decrypted. */
  static <T> T decrypted(Supplier<T> read) {
    try {
      return read.get();
    } catch (SecretsException e) {
      throw new CliException(CliException.FAILED, e.getMessage());
    }
  }

  /** Checks an id or key given on the command line; a usage error saying what is wrong. */
  static void checkName(String what, String name) {
    try {
      SecretsStore.checkName(what, name);
    } catch (SecretsException e) {
      throw new CliException(CliException.USAGE, e.getMessage());
    }
  }

  /**
   * Says on standard error when an environment variable overrides this stored value for tasks
   * started with this environment.
   */
  static void noteOverride(CommandSpec command, String prefix, String name, String what) {
    String variable = prefix + name.toUpperCase(Locale.ROOT);
    if (Environment.of(command).containsKey(variable)) {
      PrintWriter err = command.commandLine().getErr();
      err.println(
          "weir: note: "
              + variable
              + " is set in this environment; tasks started with it use that, not the stored "
              + what);
      err.flush();
    }
  }

  @Override
  public void close() {
    home.close();
  }
}
