package dev.weir.cli;

import java.io.PrintWriter;
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
    CommandLine cli = new CommandLine(new WeirCommand());
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
          throw e;
        });
    return cli.execute(args);
  }
}
