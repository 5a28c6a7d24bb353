package dev.weir.cli;

import dev.weir.config.Settings;
import dev.weir.store.Database;
import dev.weir.store.SchemaStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "db",
    description = {
      "Migrate, check and clean the metadata database.",
      "Its settings are db.url, db.user and db.password (WEIR_DB_URL, WEIR_DB_USER,"
          + " WEIR_DB_PASSWORD); without db.url it is the H2 database in WEIR_HOME (default"
          + " ./.weir)."
    },
    subcommands = {DbCommand.Migrate.class, DbCommand.Check.class, DbCommand.Clean.class})
final class DbCommand {

  @Command(
      name = "migrate",
      description = {
        "Apply the pending schema migrations.",
        "Every Weir command that uses the database does so too; this one only migrates."
      })
  static final class Migrate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Settings settings = WeirHome.settings(spec);
      try (Database database = Database.connect(settings)) {
        int applied = database.migrate();
        String version = database.check().currentVersion().orElse("none");
        spec.commandLine()
            .getOut()
            .println(
                "Applied "
                    + applied
                    + " migration(s) to "
                    + database.url()
                    + "; schema version "
                    + version
                    + ".");
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }

  @Command(
      name = "check",
      description = {
        "Print the schema migrations and their state.",
        "Exit code 1 when migrations are pending or failed, or the database cannot be reached."
      })
  static final class Check implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Settings settings = WeirHome.settings(spec);
      SchemaStatus status;
      String url;
      try (Database database = Database.connect(settings)) {
        status = database.check();
        url = database.url();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("version", status.currentVersion().orElse(null));
        json.put("upToDate", status.upToDate());
        json.put(
            "migrations",
            status.migrations().stream()
                .map(
                    m -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("version", m.version());
                      row.put("description", m.description());
                      row.put("state", m.state().name().toLowerCase(Locale.ROOT));
                      row.put("installedOn", Rows.jsonTime(m.installedOn()));
                      return row;
                    })
                .toList());
        Output.json(out, json);
      } else {
        Output.table(
            out,
            List.of("VERSION", "DESCRIPTION", "STATE", "INSTALLED_ON"),
            status.migrations().stream()
                .map(
                    m ->
                        List.of(
                            m.version(),
                            m.description(),
                            m.state().name().toLowerCase(Locale.ROOT),
                            Rows.time(m.installedOn())))
                .toList());
        out.println();
        out.println(
            status.upToDate()
                ? "Schema of "
                    + url
                    + " is up to date at version "
                    + status.currentVersion().orElse("none")
                    + "."
                : "Schema of " + url + " is not up to date: " + problem(status) + ".");
        out.flush();
      }
      if (!status.upToDate()) {
        spec.commandLine().getErr().println("weir: " + problem(status));
        spec.commandLine().getErr().flush();
        return CliException.FAILED;
      }
      return 0;
    }

    private static String problem(SchemaStatus status) {
      long failed =
          status.migrations().stream().filter(m -> m.state() == SchemaStatus.State.FAILED).count();
      return failed > 0
          ? failed + " migration(s) failed; the database needs repair by hand"
          : status.pending().size() + " migration(s) pending; run weir db migrate";
    }
  }

  @Command(
      name = "clean",
      description = {
        "Delete finished runs (success or failed) with a logical date before a date.",
        "Their task instances and tries go with them; their log files stay."
      })
  static final class Clean implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--older-than",
        required = true,
        paramLabel = "DATE",
        description = "2025-01-31 (midnight UTC), 2025-01-31T06:00 (UTC) or with an offset.")
    String olderThan;

    @Override
    public Integer call() {
      Instant before = LogicalDates.parse(olderThan, ZoneOffset.UTC);
      int deleted;
      try (WeirHome home = WeirHome.open(spec)) {
        deleted = home.store().clean(before);
      }
      spec.commandLine()
          .getOut()
          .println(
              "Deleted "
                  + deleted
                  + " finished run(s) with a logical date before "
                  + Rows.time(before)
                  + ".");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
