package dev.weir.cli;

import dev.weir.config.Settings.SettingsException;
import dev.weir.secrets.MasterKey.SecretKeyException;
import dev.weir.store.StoreException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code weir} command. Exit codes: 0 ok, 1 a run or task failed, 2 usage or load error. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given output streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.getenv());
  }

  /**
   * Runs the command line with the given output streams and environment variables (instead of the
   * process's) and returns the exit code.
   */
  public static int run(
      String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
    CommandLine cli = new CommandLine(new WeirCommand(environment));
    cli.setDefaultValueProvider(Environment.defaults(environment));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine command = e.getCommandLine();
          command.getErr().println("weir: " + e.getMessage());
          if (e instanceof UnmatchedArgumentException unmatched) {
            UnmatchedArgumentException.printSuggestions(unmatched, command.getErr());
          }
          command
              .getErr()
              .println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
          command.getErr().flush();
          return CliException.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          if (e instanceof CliException failure) {
            command.getErr().println("weir: " + failure.getMessage());
            command.getErr().flush();
            return failure.exitCode();
          }
          if (e instanceof SettingsException
              || e instanceof StoreException
              || e instanceof SecretKeyException) {
            command.getErr().println("weir: " + firstLine(e.getMessage()));
            command.getErr().flush();
            return e instanceof StoreException ? CliException.FAILED : CliException.USAGE;
          }
          throw e;
        });
    return cli.execute(args);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
