package dev.weir.model;

/**
 * A task kind written by users: a Groovy class in the DAGs folder's {@code lib/} or a Java class in
 * a plugin jar. Used in a DAG as {@code operator('id', new GreetOperator(name: 'x'))}.
 *
 * <p>An instance is created when the DAG script is loaded and {@link #execute} is called for every
 * try, possibly from several threads at once (runs of the same DAG overlap): keep per-try state in
 * local variables, not in fields.
 */
public interface Operator {

  /**
   * Does the task's work.
   *
   * @return the task's result, stored as its {@code return_value} XCom; null for none
   * @throws Exception to fail the try; throw {@code dev.weir.run.SkipTask} to skip the task
   */
  Object execute(TaskContext ctx) throws Exception;
}
