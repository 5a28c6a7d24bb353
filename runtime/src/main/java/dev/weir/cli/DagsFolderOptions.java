package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.dagbag.DagBag;
import dev.weir.dagbag.DagBagOptions;
import dev.weir.dagbag.ImportError;
import dev.weir.model.DagSpec;
import dev.weir.plugins.PluginFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options of every command that reads the DAGs folder. */
final class DagsFolderOptions {
  @Environment.Variable("WEIR_DAGS_FOLDER")
  @Option(
      names = "--dags",
      paramLabel = "DIR",
      description = "The DAGs folder (default: ${DEFAULT-VALUE}; env WEIR_DAGS_FOLDER).",
      defaultValue = "./dags")
  Path folder;

  @Environment.Variable("WEIR_PARSE_TIMEOUT")
  @Option(
      names = "--parse-timeout",
      paramLabel = "DURATION",
      description =
          "How long one file may take to load, such as 30s or 2m (default: ${DEFAULT-VALUE};"
              + " env WEIR_PARSE_TIMEOUT).",
      defaultValue = "30s",
      converter = DurationConverter.class)
  Duration parseTimeout;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The folder, absolute, or a usage error when it does not exist. */
  Path folder() {
    Path dir = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new CliException(CliException.USAGE, "DAGs folder " + folder + " does not exist");
    }
    return dir;
  }

  DagBagOptions parsing() {
    return new DagBagOptions(parseTimeout, DagBagOptions.defaults().parallelism());
  }

  /** Loads the folder; the caller closes the bag. */
  DagBag load() {
    // Scripts see the plugin jars of the home folder (setting plugins.folder).
    ClassLoader plugins =
        PluginFolder.classLoader(
            Settings.load(Environment.of(command)).pluginsFolder(), DagBag.class.getClassLoader());
    DagBag bag = new DagBag(folder(), parsing(), Clock.systemUTC(), plugins);
    bag.refresh();
    return bag;
  }

  /** The DAG with this id, or a usage error that says why it is missing. */
  static DagSpec find(DagBag bag, String dagId) {
    return bag.dag(dagId)
        .orElseThrow(
            () -> {
              List<ImportError> errors = bag.importErrors();
              String hint =
                  errors.isEmpty()
                      ? Suggestions.didYouMean(dagId, bag.dags().keySet())
                      : errors.size() == 1
                          ? "; the folder has an import error: " + errors.get(0).message()
                          : "; "
                              + errors.size()
                              + " files have import errors (weir dags list-import-errors), the"
                              + " first: "
                              + errors.get(0).message();
              return new CliException(CliException.USAGE, "dag '" + dagId + "' not found" + hint);
            });
  }
}
