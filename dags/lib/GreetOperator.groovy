import dev.weir.model.Operator
import dev.weir.model.TaskContext

/**
 * A custom operator shared by the DAG files of this folder: every class in dags/lib/ can be used
 * by the scripts without an import. Settings are its properties; execute runs on every try.
 */
class GreetOperator implements Operator {
    String name
    String greeting = 'Hello'

    @Override
    Object execute(TaskContext ctx) {
        String text = "${greeting}, ${name}! It is ${ctx.ds}."
        ctx.log.info(text)
        text // the result, stored as the task's return_value XCom
    }
}
