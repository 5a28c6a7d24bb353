package dev.weir.web.browser;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.dagbag.GitHead;
import dev.weir.model.DagSpec;
import dev.weir.scheduler.RunRequests;
import dev.weir.scheduler.SchedulerDaemon;
import dev.weir.secrets.MasterKey;
import dev.weir.secrets.SecretCipher;
import dev.weir.secrets.SecretsStore;
import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import dev.weir.store.MetadataStore;
import dev.weir.users.Role;
import dev.weir.users.UserStore;
import dev.weir.web.WebServer;
import dev.weir.web.WebServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * All of Weir in this process, as {@code weir standalone} runs it: a scheduler daemon with a fast
 * tick and its worker pool over H2 in a temporary home, and the web server on a free port of
 * 127.0.0.1 over the daemon's store and DAGs. Users {@code viewer}, {@code user}, {@code op} and
 * {@code admin} (one per role) log in with {@link #PASSWORD}. Write the DAGs with {@link #dag},
 * then {@link #start}.
 */
public final class Weir implements AutoCloseable {
  public static final String PASSWORD = "correct horse battery";

  private final Path home;
  private final Path dags;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, String> env = new HashMap<>();
  private SchedulerDaemon daemon;
  private SecretsStore secrets;
  private WebServer server;

  public Weir(Path temp) {
    this.home = temp.resolve("home");
    this.dags = temp.resolve("dags");
    try {
      Files.createDirectories(dags);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("WEIR_HOME", home.toString());
  }

  /** Writes a DAG script into the DAGs folder. */
  public Weir dag(String file, String script) {
    try {
      Path path = dags.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Copies a file of the repository's {@code dags/} folder (an example DAG) into the DAGs folder.
   */
  public Weir exampleDag(String file) {
    Path examples = repositoryRoot().resolve("dags");
    try {
      return dag(file, Files.readString(examples.resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the scheduler, creates one user per role, and starts the web server. */
  public Weir start() {
    Settings settings = Settings.load(env);
    daemon =
        new SchedulerDaemon(
            settings,
            new SchedulerDaemon.Options(
                dags, 4, Duration.ofMillis(100), Duration.ofSeconds(2), DagBagOptions.defaults()),
            clock);
    daemon.start();
    UserStore users = new UserStore(daemon.database());
    for (Role role : Role.values()) {
      users.create(username(role), role, PASSWORD, clock.instant());
    }
    secrets = new SecretsStore(daemon.database(), new SecretCipher(MasterKey.from(settings)));
    server =
        WebServer.start(
            new WebServices(settings, daemon.store(), users, secrets, daemon.dagBag(), clock),
            "127.0.0.1",
            0);
    return this;
  }

  /** The login name of the user with this role. */
  public static String username(Role role) {
    return role.label().toLowerCase(Locale.ROOT);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  public MetadataStore store() {
    return daemon.store();
  }

  /** The connections and variables the web server shows. */
  public SecretsStore secrets() {
    return secrets;
  }

  public Path dagsFolder() {
    return dags;
  }

  /**
   * Triggers a manual run as {@code weir dags trigger} does, for tests that need runs to look at.
   */
  public DagRunRow trigger(String dagId, Instant logicalDate, String conf) {
    DagSpec dag =
        daemon
            .dagBag()
            .dag(dagId)
            .orElseThrow(() -> new IllegalArgumentException("no DAG " + dagId + " in " + dags));
    String source = daemon.dagBag().source(dag.source().file()).orElseThrow();
    RunRequests requests = new RunRequests(daemon.store(), clock);
    long versionId = requests.saveDag(dag, source, GitHead.commit(dags).orElse(null));
    return requests.trigger(dag, versionId, logicalDate, conf);
  }

  /** Waits until the run has finished, and answers its final state. */
  public RunState awaitRun(String dagId, String runId) {
    Instant deadline = Instant.now().plus(Browser.WAIT);
    while (Instant.now().isBefore(deadline)) {
      Optional<DagRunRow> run = daemon.store().run(dagId, runId);
      if (run.isPresent() && run.get().state().isFinished()) {
        return run.get().state();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for run " + runId, e);
      }
    }
    throw new AssertionError(
        "run " + runId + " of " + dagId + " did not finish within " + Browser.WAIT);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close(); // first, so that no request reaches a closed store
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  /** The repository's root: the folder above {@code runtime/} that holds {@code dags/}. */
  static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("dags")) && Files.isDirectory(p.resolve("runtime"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root with dags/ above " + here);
  }
}
