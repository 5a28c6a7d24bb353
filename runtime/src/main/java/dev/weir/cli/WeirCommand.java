package dev.weir.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ScopeType;

@Command(
    name = "weir",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = WeirCommand.Version.class,
    description = "Weir: a workflow orchestrator for data and ML pipelines.",
    subcommands = {
      SchedulerCommand.Standalone.class,
      SchedulerCommand.class,
      WebCommand.class,
      UsersCommand.class,
      DagsCommand.class,
      TasksCommand.class,
      PoolsCommand.class,
      DatasetsCommand.class,
      ConnectionsCommand.class,
      VariablesCommand.class,
      DbCommand.class
    })
final class WeirCommand {
  private final Map<String, String> environment;

  WeirCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The environment variables of this command line; see {@link Environment}. */
  Map<String, String> environment() {
    return environment;
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = WeirCommand.class.getResourceAsStream("/weir-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "weir " + properties.getProperty("version", "unknown"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
