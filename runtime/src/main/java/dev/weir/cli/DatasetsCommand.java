package dev.weir.cli;

import dev.weir.store.DatasetEventRow;
import dev.weir.store.DatasetRow;
import java.io.PrintWriter;
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
    name = "datasets",
    description = {
      "Inspect datasets: the data tasks update (outlets) and DAGs are scheduled on.",
      "A dataset is known once the scheduler has loaded a DAG that names it. Runs of weir dags"
          + " test record no updates."
    },
    subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.Events.class})
final class DatasetsCommand {

  @Command(
      name = "list",
      description = {
        "List the datasets with the tasks that update them (DAG.TASK), the DAGs scheduled on them,"
            + " and their updates."
      })
  static final class ListDatasets implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<DatasetRow> datasets;
      try (WeirHome home = WeirHome.open(spec)) {
        datasets = home.store().datasets();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Output.json(out, datasets.stream().map(ListDatasets::json).toList());
      } else {
        Output.table(
            out,
            List.of("URI", "PRODUCERS", "CONSUMERS", "LAST_UPDATE", "UPDATES"),
            datasets.stream()
                .map(
                    dataset ->
                        List.of(
                            dataset.uri(),
                            String.join(
                                ",",
                                dataset.producers().stream()
                                    .map(DatasetRow.Producer::toString)
                                    .toList()),
                            String.join(",", dataset.consumers()),
                            Rows.time(dataset.lastEventAt()),
                            Long.toString(dataset.eventCount())))
                .toList());
      }
      return 0;
    }

    private static Map<String, Object> json(DatasetRow dataset) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("uri", dataset.uri());
      row.put(
          "producers",
          dataset.producers().stream()
              .map(p -> Map.of("dagId", p.dagId(), "taskId", p.taskId()))
              .toList());
      row.put("consumers", dataset.consumers());
      row.put("lastUpdate", Rows.jsonTime(dataset.lastEventAt()));
      row.put("updates", dataset.eventCount());
      row.put("createdAt", Rows.jsonTime(dataset.createdAt()));
      return row;
    }
  }

  @Command(name = "events", description = "List the latest updates of a dataset, newest first.")
  static final class Events implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "URI", description = "The dataset, such as file:///data/sales.csv.")
    String uri;

    @Option(
        names = {"-n", "--limit"},
        paramLabel = "N",
        defaultValue = "100",
        description = "At most this many updates (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new CliException(CliException.USAGE, "--limit takes 1 or more, got " + limit);
      }
      List<DatasetEventRow> events;
      try (WeirHome home = WeirHome.open(spec)) {
        List<String> known = home.store().datasets().stream().map(DatasetRow::uri).toList();
        if (!known.contains(uri)) {
          throw new CliException(
              CliException.USAGE,
              "no dataset '"
                  + uri
                  + "'"
                  + Suggestions.didYouMean(uri, known)
                  + " (weir datasets list shows them)");
        }
        events = home.store().datasetEvents(uri, limit);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Output.json(out, events.stream().map(Events::json).toList());
      } else {
        Output.table(
            out,
            List.of("ID", "TIME", "DAG_ID", "TASK_ID", "RUN_ID"),
            events.stream()
                .map(
                    event ->
                        List.of(
                            Long.toString(event.id()),
                            Rows.time(event.createdAt()),
                            event.sourceDagId(),
                            event.sourceTaskId(),
                            event.sourceRunId()))
                .toList());
      }
      return 0;
    }

    private static Map<String, Object> json(DatasetEventRow event) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", event.id());
      row.put("uri", event.uri());
      row.put("time", Rows.jsonTime(event.createdAt()));
      row.put("dagId", event.sourceDagId());
      row.put("taskId", event.sourceTaskId());
      row.put("runId", event.sourceRunId());
      return row;
    }
  }
}
