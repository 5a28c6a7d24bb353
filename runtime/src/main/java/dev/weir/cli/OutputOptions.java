package dev.weir.cli;

import picocli.CommandLine.Option;

/** The {@code -o}/{@code --output} option of the commands that print a listing. */
final class OutputOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  Output.Format format;

  boolean json() {
    return format == Output.Format.json;
  }
}
