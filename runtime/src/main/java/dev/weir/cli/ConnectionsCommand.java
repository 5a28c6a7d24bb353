package dev.weir.cli;

import dev.weir.model.Connection;
import dev.weir.secrets.ConnectionRow;
import dev.weir.secrets.ConnectionUris;
import dev.weir.secrets.Masker;
import dev.weir.secrets.SecretNames;
import dev.weir.secrets.Secrets;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "connections",
    description = {
      "Manage connections: how tasks reach databases and services.",
      "Passwords and extras are stored encrypted; WEIR_CONN_<ID> in a task's environment wins"
          + " over the stored connection."
    },
    subcommands = {
      ConnectionsCommand.Add.class,
      ConnectionsCommand.ListConnections.class,
      ConnectionsCommand.Get.class,
      ConnectionsCommand.Delete.class
    })
final class ConnectionsCommand {

  @Command(
      name = "add",
      description = {
        "Add a connection.",
        "Give it as a URI (--conn-uri), as a JSON object (--conn-json), or field by field"
            + " (--conn-type and the other --conn-… options). An existing connection is not"
            + " replaced: delete it first."
      })
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The connection's id, as tasks name it.")
    String id;

    @Option(
        names = "--conn-uri",
        paramLabel = "URI",
        description =
            "TYPE://[LOGIN[:PASSWORD]@]HOST[:PORT][/SCHEMA][?KEY=VALUE&…], percent-encoded.")
    String uri;

    @Option(
        names = "--conn-json",
        paramLabel = "JSON",
        description = "A JSON object: conn_type, host, port, schema, login, password, extra.")
    String json;

    @Option(names = "--conn-type", paramLabel = "TYPE", description = "Such as postgres or http.")
    String type;

    @Option(names = "--conn-host", paramLabel = "HOST", description = "The host.")
    String host;

    @Option(names = "--conn-port", paramLabel = "PORT", description = "The port.")
    Integer port;

    @Option(names = "--conn-schema", paramLabel = "SCHEMA", description = "The database (or path).")
    String schema;

    @Option(names = "--conn-login", paramLabel = "LOGIN", description = "The user name.")
    String login;

    @Option(
        names = "--conn-password",
        paramLabel = "PASSWORD",
        description = "The password (stored encrypted).")
    String password;

    @Option(
        names = "--conn-extra",
        paramLabel = "JSON",
        description = "Further settings as a JSON object (stored encrypted).")
    String extra;

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    String description;

    @Override
    public Integer call() {
      SecretsHome.checkName("connection id", id);
      Connection connection = connection();
      boolean added;
      try (SecretsHome home = SecretsHome.open(spec)) {
        added = home.store().addConnection(connection, description);
      }
      if (!added) {
        throw new CliException(
            CliException.USAGE,
            "connection '"
                + id
                + "' exists already; delete it first with weir connections delete "
                + id);
      }
      SecretsHome.noteOverride(spec, Secrets.CONN_PREFIX, id, "connection");
      PrintWriter out = spec.commandLine().getOut();
      out.println("Connection '" + id + "' added.");
      out.flush();
      return 0;
    }

    private Connection connection() {
      List<String> fields = new ArrayList<>();
      addIf(fields, type, "--conn-type");
      addIf(fields, host, "--conn-host");
      addIf(fields, port, "--conn-port");
      addIf(fields, schema, "--conn-schema");
      addIf(fields, login, "--conn-login");
      addIf(fields, password, "--conn-password");
      addIf(fields, extra, "--conn-extra");
      if (uri != null && json != null) {
        throw new CliException(CliException.USAGE, "give --conn-uri or --conn-json, not both");
      }
      String whole = uri != null ? "--conn-uri" : json != null ? "--conn-json" : null;
      if (whole != null && !fields.isEmpty()) {
        throw new CliException(
            CliException.USAGE, whole + " cannot be combined with " + String.join(", ", fields));
      }
      try {
        if (uri != null) {
          return ConnectionUris.parseUri(id, uri.strip());
        }
        if (json != null) {
          return ConnectionUris.parseJson(id, json);
        }
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.USAGE, whole + " " + e.getMessage());
      }
      if (type == null || type.isBlank()) {
        throw new CliException(
            CliException.USAGE,
            "give the connection as --conn-uri URI, --conn-json JSON, or --conn-type TYPE with"
                + " the other --conn-… options");
      }
      if (port != null && (port < 1 || port > 65535)) {
        throw new CliException(CliException.USAGE, "--conn-port takes 1 to 65535, got " + port);
      }
      Map<String, Object> extras;
      try {
        extras = ConnectionUris.extraJson(extra);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            CliException.USAGE,
            "--conn-extra " + e.getMessage().replaceFirst("^has an extra that ", ""));
      }
      return new Connection(id, type.strip(), host, port, schema, login, password, extras);
    }

    private static void addIf(List<String> names, Object value, String name) {
      if (value != null) {
        names.add(name);
      }
    }
  }

  @Command(
      name = "list",
      description = {
        "List the stored connections.",
        "Passwords show as ***; extras are shown by weir connections get."
      })
  static final class ListConnections implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<ConnectionRow> connections;
      try (SecretsHome home = SecretsHome.open(spec)) {
        connections = home.store().connections();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Output.json(
            out,
            connections.stream()
                .map(
                    c -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("id", c.id());
                      row.put("type", c.type());
                      row.put("host", c.host());
                      row.put("port", c.port());
                      row.put("schema", c.schema());
                      row.put("login", c.login());
                      row.put("password", c.hasPassword() ? Masker.MASK : null);
                      row.put("description", c.description());
                      return row;
                    })
                .toList());
      } else {
        Output.table(
            out,
            List.of("ID", "TYPE", "HOST", "PORT", "SCHEMA", "LOGIN", "PASSWORD", "DESCRIPTION"),
            connections.stream()
                .map(
                    c ->
                        List.of(
                            c.id(),
                            c.type(),
                            text(c.host()),
                            c.port() == null ? "" : c.port().toString(),
                            text(c.schema()),
                            text(c.login()),
                            c.hasPassword() ? Masker.MASK : "",
                            text(c.description())))
                .toList());
      }
      return 0;
    }
  }

  @Command(
      name = "get",
      description = {
        "Print a stored connection.",
        "Its password and the extra's secret-looking values (password, token, api_key, …) show"
            + " as *** unless --show-secrets is given."
      })
  static final class Get implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The connection.")
    String id;

    @Option(
        names = "--show-secrets",
        description = "Print the password and the extra's secret values in clear text.")
    boolean showSecrets;

    @Override
    public Integer call() {
      ConnectionRow row;
      Connection connection;
      try (SecretsHome home = SecretsHome.open(spec)) {
        row =
            home.store()
                .connectionRow(id)
                .orElseThrow(() -> missing(id, home.store().connections()));
        connection =
            SecretsHome.decrypted(
                () -> home.store().connection(id).orElseThrow(() -> missing(id, List.of())));
      }
      SecretsHome.noteOverride(spec, Secrets.CONN_PREFIX, id, "connection");
      Object extra = showSecrets ? connection.extra() : SecretNames.maskedExtra(connection.extra());
      String password =
          connection.password() == null ? null : showSecrets ? connection.password() : Masker.MASK;
      String uri = ConnectionUris.toUri(connection, showSecrets);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("type", connection.type());
        json.put("host", connection.host());
        json.put("port", connection.port());
        json.put("schema", connection.schema());
        json.put("login", connection.login());
        json.put("password", password);
        json.put("extra", extra);
        json.put("description", row.description());
        json.put("uri", uri);
        Output.json(out, json);
      } else {
        Output.table(
            out,
            List.of("FIELD", "VALUE"),
            List.of(
                List.of("id", id),
                List.of("type", connection.type()),
                List.of("host", text(connection.host())),
                List.of("port", connection.port() == null ? "" : connection.port().toString()),
                List.of("schema", text(connection.schema())),
                List.of("login", text(connection.login())),
                List.of("password", text(password)),
                List.of("extra", connection.extra().isEmpty() ? "" : Output.compact(extra)),
                List.of("description", text(row.description())),
                List.of("uri", uri)));
      }
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a stored connection.")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The connection.")
    String id;

    @Override
    public Integer call() {
      try (SecretsHome home = SecretsHome.open(spec)) {
        if (!home.store().deleteConnection(id)) {
          throw missing(id, home.store().connections());
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("Connection '" + id + "' deleted.");
      out.flush();
      return 0;
    }
  }

  private static CliException missing(String id, List<ConnectionRow> known) {
    return new CliException(
        CliException.USAGE,
        "no connection '"
            + id
            + "'"
            + Suggestions.didYouMean(id, known.stream().map(ConnectionRow::id).toList())
            + " (weir connections list shows the stored ones)");
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
