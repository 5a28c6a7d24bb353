package dev.weir.cli;

import dev.weir.dagbag.DagBag;
import dev.weir.model.DagSpec;
import dev.weir.run.LocalDagRun;
import dev.weir.run.RunReport;
import dev.weir.run.TaskInstanceReport;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "test",
    description = {
      "Run a DAG once in this process, with no database.",
      "Tasks run in dependency order with trigger rules and retries honoured, bash tasks as real"
          + " child processes. Prints each task's log live, then each task's state. Exit code 1 if"
          + " the run failed."
    })
final class DagTestCommand implements Callable<Integer> {
  @Mixin DagsFolderOptions folder;
  @Mixin OutputOptions output;
  @Mixin TestRunSupport support;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG to run.")
  String dagId;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LOGICAL_DATE",
      description =
          "The run to test: the first scheduled run at or after this date (default: the latest"
              + " run due now).")
  String logicalDate;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    // With JSON on standard output, the live logs go to standard error.
    PrintWriter console = output.json() ? spec.commandLine().getErr() : out;
    try (DagBag bag = folder.load();
        TestRunSupport run = support) {
      DagSpec dag = DagsFolderOptions.find(bag, dagId);
      LocalDagRun local = run.localRun(clock, console, bag, spec);
      RunReport report =
          local.run(run.runContext(dag, logicalDate, clock, spec.commandLine().getErr()));
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dagId", dag.id());
        json.put("runId", report.run().runId());
        json.put(
            "logicalDate",
            DagsCommand.NextExecution.format(dag, report.run().interval().logicalDate()));
        json.put("state", report.state().label());
        json.put(
            "taskInstances", report.taskInstances().stream().map(TestRunSupport::json).toList());
        json.put("datasetsUpdated", updatedDatasets(dag, report));
        Output.json(out, json);
      } else {
        out.println();
        Output.table(
            out,
            TestRunSupport.HEADER,
            report.taskInstances().stream().map(TestRunSupport::row).toList());
        out.println();
        out.println(
            "Run "
                + report.run().runId()
                + " of "
                + dag.id()
                + ": "
                + report.state().label()
                + summary(report));
        List<String> updated = updatedDatasets(dag, report);
        if (!updated.isEmpty()) {
          out.println(
              "Datasets updated (not recorded: dags test has no store, so no DAG is triggered): "
                  + String.join(", ", updated));
        }
        out.flush();
      }
      return report.state() == RunState.SUCCESS ? 0 : CliException.FAILED;
    }
  }

  /** The outlets of the tasks that succeeded: what the run would have updated. */
  private static List<String> updatedDatasets(DagSpec dag, RunReport report) {
    Set<String> uris = new LinkedHashSet<>();
    for (TaskInstanceReport ti : report.taskInstances()) {
      if (ti.state() == TaskState.SUCCESS) {
        dag.task(ti.taskId())
            .ifPresent(task -> task.outlets().forEach(outlet -> uris.add(outlet.uri())));
      }
    }
    return List.copyOf(uris);
  }

  private static String summary(RunReport report) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (TaskInstanceReport ti : report.taskInstances()) {
      counts.merge(ti.state().label(), 1, Integer::sum);
    }
    StringBuilder text = new StringBuilder(" (");
    counts.forEach(
        (state, n) ->
            text.append(text.length() > 2 ? ", " : "").append(n).append(' ').append(state));
    return text.append(')').toString();
  }
}
