package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagFolderWatcher;
import dev.weir.metrics.Metrics;
import dev.weir.metrics.StoreMetrics;
import dev.weir.plugins.PluginFolder;
import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.SecretsStore;
import dev.weir.store.Database;
import dev.weir.store.JdbcMetadataStore;
import dev.weir.store.MetadataStore;
import dev.weir.users.Passwords;
import dev.weir.users.Role;
import dev.weir.users.UserStore;
import dev.weir.web.WebServer;
import dev.weir.web.WebServices;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "webserver",
    description = {
      "Run the web UI and REST API until stopped.",
      "Reads the metadata database the scheduler writes, and loads the DAGs folder itself to show"
          + " the DAGs' structure. Everything but /health needs a login (weir users create)."
    })
final class WebCommand implements Callable<Integer> {
  @Mixin DagsFolderOptions folder;
  @Mixin WebOptions web;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = WeirHome.settings(spec);
    Clock clock = Clock.systemUTC();
    Database database = Database.open(settings);
    MetadataStore store = new JdbcMetadataStore(database);
    DagBag bag =
        new DagBag(
            folder.folder(),
            folder.parsing(),
            clock,
            PluginFolder.classLoader(settings.pluginsFolder(), DagBag.class.getClassLoader()));
    bag.refresh();
    DagFolderWatcher watcher = DagFolderWatcher.start(folder.folder(), bag::refresh);
    // No scheduler in this process: the counts of runs come from the store.
    Metrics metrics = new Metrics();
    StoreMetrics.register(metrics.registry(), store, clock);
    WebServer server;
    try {
      server = start(settings, database, store, bag, clock, web, metrics);
    } catch (IllegalStateException e) {
      watcher.close();
      bag.close();
      database.close();
      metrics.close();
      throw new CliException(CliException.FAILED, e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          server.close();
          watcher.close();
          bag.close();
          database.close();
          metrics.close();
          stopped.countDown();
        };
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Weir web server on http://"
            + displayHost(web.host(settings))
            + ":"
            + server.port()
            + ", WEIR_HOME "
            + settings.home()
            + ". Stop with Ctrl-C or SIGTERM.");
    out.flush();
    Foreground.run("weir-web-shutdown", stop, stopped::await);
    return 0;
  }

  /** Starts a web server over an open database; the caller closes both, and the metrics. */
  static WebServer start(
      Settings settings,
      Database database,
      MetadataStore store,
      DagBag bag,
      Clock clock,
      WebOptions web,
      Metrics metrics) {
    WebServices services =
        new WebServices(
            settings,
            store,
            new UserStore(database),
            new SecretsStore(database, new SecretCipher(MasterKey.from(settings))),
            bag,
            clock,
            metrics);
    return WebServer.start(services, web.host(settings), web.port(settings));
  }

  /**
   * On a home without users, creates user {@code admin} with a generated password and prints it:
   * the only time it is shown.
   */
  static void createFirstAdmin(Database database, Clock clock, PrintWriter out) {
    UserStore users = new UserStore(database);
    if (!users.users().isEmpty()) {
      return;
    }
    String password = Passwords.generate();
    users.create("admin", Role.ADMIN, password, clock.instant());
    out.println(
        "Created user 'admin' (role Admin) with password "
            + password
            + "\n  It is shown only this once; change it with weir users set-password admin.");
    out.flush();
  }

  static String displayHost(String host) {
    return host.equals("0.0.0.0") ? "localhost" : host;
  }
}
