package dev.weir.cli;

import dev.weir.dagbag.DagBag;
import dev.weir.model.DagSpec;
import dev.weir.run.TaskInstanceReport;
import dev.weir.state.TaskState;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "tasks",
    description = "Test tasks; list, clear, mark and read the logs of task instances.",
    subcommands = {
      TasksCommand.Test.class,
      TaskRunCommands.StatesForDagRun.class,
      TaskRunCommands.Clear.class,
      TaskRunCommands.Mark.class,
      TaskRunCommands.Logs.class
    })
final class TasksCommand {

  @Command(
      name = "test",
      description = {
        "Run one task alone, once, with no database.",
        "Its upstream tasks and its retries are ignored. Exit code 1 if the task failed."
      })
  static final class Test implements Callable<Integer> {
    @Mixin DagsFolderOptions folder;
    @Mixin OutputOptions output;
    @Mixin TestRunSupport support;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DAG_ID", description = "The DAG.")
    String dagId;

    @Parameters(index = "1", paramLabel = "TASK_ID", description = "The task to run.")
    String taskId;

    @Parameters(
        index = "2",
        arity = "0..1",
        paramLabel = "LOGICAL_DATE",
        description = "As for weir dags test.")
    String logicalDate;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter console = output.json() ? spec.commandLine().getErr() : out;
      try (DagBag bag = folder.load();
          TestRunSupport run = support) {
        DagSpec dag = DagsFolderOptions.find(bag, dagId);
        if (dag.task(taskId).isEmpty()) {
          throw new CliException(
              CliException.USAGE,
              "dag '"
                  + dagId
                  + "' has no task '"
                  + taskId
                  + "'; its tasks: "
                  + String.join(", ", dag.topologicalOrder()));
        }
        TaskInstanceReport ti =
            run.localRun(clock, console, bag, spec)
                .runTask(
                    run.runContext(dag, logicalDate, clock, spec.commandLine().getErr()), taskId);
        if (output.json()) {
          Map<String, Object> json = new LinkedHashMap<>(TestRunSupport.json(ti));
          json.put("result", ti.result() == null ? null : String.valueOf(ti.result()));
          Output.json(out, json);
        } else {
          out.println();
          Output.table(out, TestRunSupport.HEADER, List.of(TestRunSupport.row(ti)));
          if (ti.result() != null) {
            out.println("Result: " + ti.result());
          }
          out.flush();
        }
        return ti.state() == TaskState.FAILED ? CliException.FAILED : 0;
      }
    }
  }
}
