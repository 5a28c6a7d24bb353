package dev.weir.cli;

import dev.weir.store.PoolRow;
import java.io.PrintWriter;
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
    name = "pools",
    description = {
      "Manage pools, which limit how many tasks run at once.",
      "At most SLOTS of the task instances assigned to a pool run at once. Tasks without a pool"
          + " use default_pool."
    },
    subcommands = {PoolsCommand.Set.class, PoolsCommand.ListPools.class, PoolsCommand.Delete.class})
final class PoolsCommand {

  @Command(name = "set", description = "Create a pool or change its slots and description.")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pool.")
    String name;

    @Parameters(index = "1", paramLabel = "SLOTS", description = "How many may run at once.")
    int slots;

    @Option(
        names = "--description",
        paramLabel = "TEXT",
        description = "What the pool is for (default: keep the pool's description).")
    String description;

    @Override
    public Integer call() {
      if (slots < 0) {
        throw new CliException(CliException.USAGE, "SLOTS takes 0 or more, got " + slots);
      }
      if (name.isBlank()) {
        throw new CliException(CliException.USAGE, "a pool name cannot be empty");
      }
      try (WeirHome home = WeirHome.open(spec)) {
        Optional<PoolRow> existing =
            home.store().pools().stream().filter(p -> p.name().equals(name)).findFirst();
        String text =
            description != null ? description : existing.map(PoolRow::description).orElse("");
        home.store().savePool(new PoolRow(name, slots, text));
      }
      spec.commandLine().getOut().println("Pool '" + name + "' has " + slots + " slot(s).");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "list", description = "List the pools.")
  static final class ListPools implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<PoolRow> pools;
      try (WeirHome home = WeirHome.open(spec)) {
        pools = home.store().pools();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Output.json(
            out,
            pools.stream()
                .map(
                    pool -> {
                      Map<String, Object> row = new LinkedHashMap<>();
                      row.put("name", pool.name());
                      row.put("slots", pool.slots());
                      row.put("description", pool.description());
                      return row;
                    })
                .toList());
      } else {
        Output.table(
            out,
            List.of("NAME", "SLOTS", "DESCRIPTION"),
            pools.stream()
                .map(
                    pool ->
                        List.of(
                            pool.name(),
                            Integer.toString(pool.slots()),
                            pool.description() == null ? "" : pool.description()))
                .toList());
      }
      return 0;
    }
  }

  @Command(
      name = "delete",
      description = {
        "Delete a pool.",
        "Tasks that name it wait until it exists again. default_pool cannot be deleted."
      })
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The pool.")
    String name;

    @Override
    public Integer call() {
      if (name.equals(PoolRow.DEFAULT)) {
        throw new CliException(
            CliException.USAGE,
            PoolRow.DEFAULT
                + " cannot be deleted: tasks without a pool use it; change its slots with weir"
                + " pools set "
                + PoolRow.DEFAULT
                + " N");
      }
      try (WeirHome home = WeirHome.open(spec)) {
        if (!home.store().deletePool(name)) {
          throw new CliException(
              CliException.USAGE,
              "no pool '"
                  + name
                  + "'"
                  + Suggestions.didYouMean(
                      name, home.store().pools().stream().map(PoolRow::name).toList()));
        }
      }
      spec.commandLine().getOut().println("Pool '" + name + "' deleted.");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
