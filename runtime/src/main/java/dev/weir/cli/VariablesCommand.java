package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.secrets.Masker;
import dev.weir.secrets.PrivateFiles;
import dev.weir.secrets.SecretNames;
import dev.weir.secrets.Secrets;
import dev.weir.secrets.SecretsStore.NewVariable;
import dev.weir.secrets.VariableRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "variables",
    description = {
      "Manage variables: values tasks read by key.",
      "Variables whose key looks secret (password, token, api_key, …) are stored encrypted;"
          + " WEIR_VAR_<KEY> in a task's environment wins over the stored variable."
    },
    subcommands = {
      VariablesCommand.Set.class,
      VariablesCommand.Get.class,
      VariablesCommand.ListVariables.class,
      VariablesCommand.Delete.class,
      VariablesCommand.Import.class,
      VariablesCommand.Export.class
    })
final class VariablesCommand {

  @Command(
      name = "set",
      description = {
        "Create a variable or change its value.",
        "Stored encrypted when the key contains one of: "
            + "access_token, api_key, apikey, authorization, passphrase, passwd, password,"
            + " private_key, secret, token (ignoring case)."
      })
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The variable.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "Its value.")
    String value;

    @Option(
        names = "--description",
        paramLabel = "TEXT",
        description = "What it is for (default: keep the variable's description).")
    String description;

    @Override
    public Integer call() {
      SecretsHome.checkName("variable key", key);
      boolean encrypted;
      try (SecretsHome home = SecretsHome.open(spec)) {
        encrypted = home.store().setVariable(key, value, description);
      }
      SecretsHome.noteOverride(spec, Secrets.VAR_PREFIX, key, "variable");
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Variable '"
              + key
              + "' set"
              + (encrypted ? " (stored encrypted: its key looks secret)." : "."));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "get",
      description = {
        "Print a stored variable's value.",
        "A secret variable's value shows as *** unless --show-secrets is given."
      })
  static final class Get implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "The variable.")
    String key;

    @Option(names = "--show-secrets", description = "Print a secret value in clear text.")
    boolean showSecrets;

    @Override
    public Integer call() {
      VariableRow row;
      try (SecretsHome home = SecretsHome.open(spec)) {
        List<VariableRow> all = home.store().variables();
        Optional<VariableRow> found = all.stream().filter(v -> v.key().equals(key)).findFirst();
        if (found.isEmpty()) {
          throw missing(key, all);
        }
        row = found.get();
        if (row.encrypted() && showSecrets) {
          row =
              SecretsHome.decrypted(() -> home.store().variableRow(key))
                  .orElseThrow(() -> missing(key, all));
        }
      }
      SecretsHome.noteOverride(spec, Secrets.VAR_PREFIX, key, "variable");
      String value = row.value() == null ? Masker.MASK : row.value();
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("value", value);
        json.put("encrypted", row.encrypted());
        json.put("description", row.description());
        Output.json(out, json);
      } else {
        out.println(value);
        out.flush();
      }
      if (row.value() == null) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "weir: note: variable '" + key + "' is secret; --show-secrets prints its value");
        err.flush();
      }
      return 0;
    }
  }

  @Command(
      name = "list",
      description = {"List the stored variables.", "Secret values show as ***."})
  static final class ListVariables implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<VariableRow> variables;
      try (SecretsHome home = SecretsHome.open(spec)) {
        variables = home.store().variables();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Output.json(
            out,
            variables.stream()
                .map(
                    v -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("key", v.key());
                      row.put("value", v.encrypted() ? Masker.MASK : v.value());
                      row.put("encrypted", v.encrypted());
                      row.put("description", v.description());
                      return row;
                    })
                .toList());
      } else {
        Output.table(
            out,
            List.of("KEY", "VALUE", "ENCRYPTED", "DESCRIPTION"),
            variables.stream()
                .map(
                    v ->
                        List.of(
                            v.key(),
                            v.encrypted() ? Masker.MASK : oneLine(v.value()),
                            v.encrypted() ? "yes" : "no",
                            v.description() == null ? "" : v.description()))
                .toList());
      }
      return 0;
    }

    private static String oneLine(String value) {
      return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
  }

  @Command(name = "delete", description = "Delete a stored variable.")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "The variable.")
    String key;

    @Override
    public Integer call() {
      try (SecretsHome home = SecretsHome.open(spec)) {
        if (!home.store().deleteVariable(key)) {
          throw missing(key, home.store().variables());
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("Variable '" + key + "' deleted.");
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "import",
      description = {
        "Create or change variables from a JSON file.",
        "The file is an object {\"KEY\": VALUE, …}; a VALUE that is not a string is stored as its"
            + " JSON text, and {\"value\": VALUE, \"description\": TEXT} sets the description too."
            + " All are set in one transaction, or none."
      })
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The JSON file.")
    Path file;

    @Override
    public Integer call() {
      Map<String, Object> entries;
      try {
        entries =
            Output.mapper()
                .readValue(
                    Files.readString(file), new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (NoSuchFileException e) {
        throw new CliException(CliException.USAGE, "no file " + file);
      } catch (JsonProcessingException e) {
        throw new CliException(
            CliException.USAGE,
            file
                + " is not a JSON object of variables: "
                + e.getOriginalMessage()
                + " at line "
                + e.getLocation().getLineNr());
      } catch (IOException e) {
        throw new CliException(CliException.FAILED, "cannot read " + file + ": " + e);
      }
      if (entries == null) {
        throw new CliException(CliException.USAGE, file + " is not a JSON object of variables");
      }
      Map<String, NewVariable> variables = new LinkedHashMap<>();
      entries.forEach(
          (key, value) -> {
            SecretsHome.checkName("variable key", key);
            variables.put(key, variable(key, value));
          });
      try (SecretsHome home = SecretsHome.open(spec)) {
        home.store().setVariables(variables);
      }
      long encrypted = variables.keySet().stream().filter(SecretNames::looksSecret).count();
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Imported "
              + variables.size()
              + " variable(s) from "
              + file
              + (encrypted > 0 ? " (" + encrypted + " stored encrypted)." : "."));
      out.flush();
      return 0;
    }

    private NewVariable variable(String key, Object value) {
      String description = null;
      if (value instanceof Map<?, ?> map && map.containsKey("value")) {
        Object text = map.get("description");
        description = text == null ? null : String.valueOf(text);
        value = map.get("value");
      }
      if (value == null) {
        throw new CliException(
            CliException.USAGE, "variable '" + key + "' in " + file + " has no value (null)");
      }
      return new NewVariable(
          value instanceof String text ? text : Output.compact(value), description);
    }
  }

  @Command(
      name = "export",
      description = {
        "Write every stored variable to a JSON file that import reads.",
        "Secret values are written in clear text, for moving them; the file is made readable by"
            + " its owner only (mode 0600)."
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The JSON file; replaced if it exists.")
    Path file;

    @Override
    public Integer call() {
      List<VariableRow> variables;
      try (SecretsHome home = SecretsHome.open(spec)) {
        variables = SecretsHome.decrypted(() -> home.store().variablesDecrypted());
      }
      Map<String, Object> json = new LinkedHashMap<>();
      for (VariableRow v : variables) {
        if (v.description() == null || v.description().isEmpty()) {
          json.put(v.key(), v.value());
        } else {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("value", v.value());
          entry.put("description", v.description());
          json.put(v.key(), entry);
        }
      }
      try {
        PrivateFiles.write(file, Output.mapper().writeValueAsString(json) + "\n");
      } catch (NoSuchFileException e) {
        throw new CliException(
            CliException.USAGE, "cannot write " + file + ": its folder does not exist");
      } catch (IOException e) {
        throw new CliException(CliException.FAILED, "cannot write " + file + ": " + e);
      }
      long secret = variables.stream().filter(VariableRow::encrypted).count();
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Exported "
              + variables.size()
              + " variable(s) to "
              + file
              + (secret > 0
                  ? " (" + secret + " secret, in clear text; the file is readable by you only)."
                  : "."));
      out.flush();
      return 0;
    }
  }

  private static CliException missing(String key, List<VariableRow> known) {
    return new CliException(
        CliException.USAGE,
        "no variable '"
            + key
            + "'"
            + Suggestions.didYouMean(key, known.stream().map(VariableRow::key).toList())
            + " (weir variables list shows the stored ones)");
  }
}
