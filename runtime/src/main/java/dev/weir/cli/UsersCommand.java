package dev.weir.cli;

import dev.weir.users.Role;
import dev.weir.users.UserRow;
import dev.weir.users.UsersException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
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
    name = "users",
    description = {
      "Manage the users of the web UI and REST API.",
      "Roles, each with the rights of the ones before: Viewer reads; User also triggers, clears"
          + " and marks runs and tasks and pauses DAGs; Op also edits connections, variables and"
          + " pools; Admin also manages users."
    },
    subcommands = {
      UsersCommand.Create.class,
      UsersCommand.ListUsers.class,
      UsersCommand.Delete.class,
      UsersCommand.SetPassword.class,
      UsersCommand.Token.class
    })
final class UsersCommand {
  private UsersCommand() {}

  /** Where a password comes from: the option, standard input, or a prompt. */
  static final class PasswordOptions {
    @Option(
        names = "--password",
        paramLabel = "PASSWORD",
        description =
            "The password (at least 8 characters). Without it, and without --password-stdin,"
                + " it is asked for.")
    String password;

    @Option(
        names = "--password-stdin",
        description = "Read the password from the first line of standard input.")
    boolean fromStdin;

    String read(String username) {
      if (password != null) {
        return password;
      }
      if (fromStdin) {
        try {
          String line =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                  .readLine();
          if (line == null) {
            throw new CliException(CliException.USAGE, "standard input has no password line");
          }
          return line;
        } catch (IOException e) {
          throw new CliException(
              CliException.FAILED, "cannot read standard input: " + e.getMessage());
        }
      }
      Console console = System.console();
      if (console == null) {
        throw new CliException(
            CliException.USAGE,
            "no terminal to ask for the password of '"
                + username
                + "'; give --password or --password-stdin");
      }
      char[] first = console.readPassword("Password for %s: ", username);
      char[] again = console.readPassword("Repeat it: ");
      if (first == null || again == null || !Arrays.equals(first, again)) {
        throw new CliException(CliException.USAGE, "the two passwords differ");
      }
      return new String(first);
    }
  }

  @Command(name = "create", description = "Create a user.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PasswordOptions password;

    @Option(names = "--username", required = true, paramLabel = "NAME", description = "Login.")
    String username;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "Admin, Op, User or Viewer.")
    String role;

    @Override
    public Integer call() {
      Role parsed = parseRole(role);
      String secret = password.read(username);
      try (WeirHome home = WeirHome.open(spec)) {
        users(home).create(username, parsed, secret, Clock.systemUTC().instant());
      } catch (UsersException e) {
        throw new CliException(CliException.USAGE, e.getMessage());
      }
      say(spec, "User '" + username + "' created with role " + parsed.label() + ".");
      return 0;
    }
  }

  @Command(name = "list", description = "List the users and their roles.")
  static final class ListUsers implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      List<UserRow> users;
      try (WeirHome home = WeirHome.open(spec)) {
        users = users(home).users();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Output.json(
            out,
            users.stream()
                .map(
                    user -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("username", user.username());
                      row.put("role", user.role().label());
                      row.put("created_at", Rows.jsonTime(user.createdAt()));
                      row.put("last_login_at", Rows.jsonTime(user.lastLoginAt()));
                      return row;
                    })
                .toList());
      } else {
        Output.table(
            out,
            List.of("USERNAME", "ROLE", "CREATED", "LAST LOGIN"),
            users.stream()
                .map(
                    user ->
                        List.of(
                            user.username(),
                            user.role().label(),
                            Rows.time(user.createdAt()),
                            Rows.time(user.lastLoginAt())))
                .toList());
      }
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a user, with their sessions and API tokens.")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "USERNAME", description = "The user.")
    String username;

    @Override
    public Integer call() {
      try (WeirHome home = WeirHome.open(spec)) {
        if (!users(home).delete(username)) {
          throw unknownUser(home, username);
        }
      }
      say(spec, "User '" + username + "' deleted.");
      return 0;
    }
  }

  @Command(name = "set-password", description = "Change a user's password.")
  static final class SetPassword implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PasswordOptions password;

    @Parameters(paramLabel = "USERNAME", description = "The user.")
    String username;

    @Override
    public Integer call() {
      String secret = password.read(username);
      try (WeirHome home = WeirHome.open(spec)) {
        if (!users(home).setPassword(username, secret)) {
          throw unknownUser(home, username);
        }
      } catch (UsersException e) {
        throw new CliException(CliException.USAGE, e.getMessage());
      }
      say(spec, "Password of '" + username + "' changed.");
      return 0;
    }
  }

  @Command(
      name = "token",
      description = {
        "Create an API token for a user and print it; it is shown only this once.",
        "Send it as 'Authorization: Bearer TOKEN' or 'X-API-Key: TOKEN'. It acts with the"
            + " user's role until the user is deleted or the token is revoked with --revoke."
      })
  static final class Token implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--username", required = true, paramLabel = "NAME", description = "The user.")
    String username;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        defaultValue = "default",
        description = "A name for the token, unique per user (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--revoke", description = "Delete the token of this name instead.")
    boolean revoke;

    @Override
    public Integer call() {
      try (WeirHome home = WeirHome.open(spec)) {
        if (revoke) {
          if (!users(home).deleteToken(username, name)) {
            throw new CliException(
                CliException.USAGE, "user '" + username + "' has no token named '" + name + "'");
          }
          say(spec, "Token '" + name + "' of '" + username + "' revoked.");
          return 0;
        }
        String token = users(home).createToken(username, name, Clock.systemUTC().instant());
        say(spec, token);
      } catch (dev.weir.users.UsersException e) {
        throw new CliException(CliException.USAGE, e.getMessage());
      }
      return 0;
    }
  }

  private static dev.weir.users.UserStore users(WeirHome home) {
    return new dev.weir.users.UserStore(home.database());
  }

  private static Role parseRole(String role) {
    try {
      return Role.parse(role);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, e.getMessage());
    }
  }

  private static CliException unknownUser(WeirHome home, String username) {
    return new CliException(
        CliException.USAGE,
        "no user '"
            + username
            + "'"
            + Suggestions.didYouMean(
                username, users(home).users().stream().map(UserRow::username).toList()));
  }

  private static void say(CommandSpec spec, String line) {
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().flush();
  }
}
