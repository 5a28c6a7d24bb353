package dev.weir.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.DagSpec;
import dev.weir.schedule.Dataset;
import dev.weir.schedule.DatasetSchedule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outlets and {@code schedule datasets(…)} in scripts, and the errors they give. */
class DatasetScriptTest {
  private final DagScriptCompiler compiler = new DagScriptCompiler();

  private List<DagSpec> load(String source) {
    return compiler.load("dags/test.groovy", source);
  }

  private DagSpec one(String source) {
    List<DagSpec> dags = load(source);
    assertThat(dags).hasSize(1);
    return dags.get(0);
  }

  private DagDefinitionException error(String source) {
    try {
      load(source);
    } catch (DagDefinitionException e) {
      return e;
    }
    throw new AssertionError("expected the script to be rejected");
  }

  private static List<String> outlets(DagSpec dag, String taskId) {
    return dag.task(taskId).orElseThrow().outlets().stream().map(Dataset::uri).toList();
  }

  @Test
  void should_read_outlets_from_blocks_and_named_arguments() {
    DagSpec dag =
        one(
            """
            dag('produce') {
                schedule none()
                def write = bash('write') {
                    command 'echo x > /tmp/sales.csv'
                    outlets dataset('file:///data/sales.csv')
                }
                def both = task('both', outlets: [dataset('s3://bucket/a'), dataset('s3://bucket/b')]) { 1 }
                def one = empty('one', outlets: dataset('postgres://db/schema/table'))
                def twice = empty('twice') { outlets dataset('a'), dataset('b'); outlets 'a', 'c' }
                group('g') { empty('inner') { outlets dataset('file:///g') } }
                def plain = empty('plain')
                write >> both >> one >> twice >> plain
            }
            """);

    assertThat(outlets(dag, "write")).containsExactly("file:///data/sales.csv");
    assertThat(outlets(dag, "both")).containsExactly("s3://bucket/a", "s3://bucket/b");
    assertThat(outlets(dag, "one")).containsExactly("postgres://db/schema/table");
    assertThat(outlets(dag, "twice")).containsExactly("a", "b", "c");
    assertThat(outlets(dag, "g.inner")).containsExactly("file:///g");
    assertThat(outlets(dag, "plain")).isEmpty();
  }

  @Test
  void should_schedule_a_dag_on_datasets_without_a_start_date() {
    DagSpec dag =
        one(
            """
            dag('retrain') {
                schedule datasets('file:///data/sales.csv', 's3://bucket/x', 'file:///data/sales.csv')
                empty('train')
            }
            """);

    assertThat(dag.schedule()).isInstanceOf(DatasetSchedule.class);
    assertThat(((DatasetSchedule) dag.schedule()).uris())
        .containsExactly("file:///data/sales.csv", "s3://bucket/x");
    assertThat(dag.schedule().describe())
        .isEqualTo("datasets(file:///data/sales.csv, s3://bucket/x)");
    assertThat(dag.schedule().timeBased()).isFalse();
    assertThat(dag.startDate()).isNull();
    // No time-based runs: the timetable has no interval at all.
    assertThat(dag.timetable().firstInterval()).isEmpty();
    assertThat(dag.timetable().latestCompleted(Instant.parse("2030-01-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void should_take_a_list_of_uris_and_dataset_values_in_datasets() {
    DagSpec dag =
        one(
            """
            def inputs = ['s3://bucket/a', 's3://bucket/b']
            dag('consumer') {
                schedule datasets(inputs)
                empty('t')
            }
            """);
    assertThat(((DatasetSchedule) dag.schedule()).uris())
        .containsExactly("s3://bucket/a", "s3://bucket/b");
  }

  @Test
  void should_reject_a_bad_outlet_naming_the_task_and_dag() {
    assertThat(
            error("dag('p') {\n schedule none()\n empty('w') { outlets dataset('') }\n}\n")
                .getMessage())
        .isEqualTo(
            "dags/test.groovy:3: task 'w' of dag 'p': outlet dataset URI is empty; write one such"
                + " as 'file:///data/sales.csv'");
    assertThat(
            error("dag('p') {\n empty('w', outlets: dataset('file:///my data.csv'))\n}\n")
                .getMessage())
        .isEqualTo(
            "dags/test.groovy:2: task 'w' of dag 'p': outlet dataset URI 'file:///my data.csv'"
                + " contains whitespace at position 11; encode a space as %20");
    assertThat(error("dag('p') {\n empty('w', outlets: dataset('1s3://bucket/x'))\n}\n").problem())
        .startsWith(
            "task 'w' of dag 'p': outlet dataset URI '1s3://bucket/x' has a bad scheme '1s3'");
    assertThat(error("dag('p') {\n empty('w', outlets: dataset('s3://'))\n}\n").problem())
        .isEqualTo("task 'w' of dag 'p': outlet dataset URI 's3://' has nothing after its scheme");
    assertThat(error("dag('p') {\n empty('w', outlets: 42)\n}\n").problem())
        .isEqualTo(
            "task 'w' of dag 'p': outlets takes dataset('uri') values, such as outlets"
                + " dataset('file:///data/sales.csv'), got Integer '42'");
    assertThat(error("dag('p') {\n empty('w', outlets: dataset('s3://b/{{ ds }}'))\n}\n").problem())
        .startsWith(
            "task 'w' of dag 'p': outlet dataset URI 's3://b/{{ ds }}' contains whitespace");
    assertThat(error("dag('p') {\n empty('w', outlets: dataset('s3://b/{ds}'))\n}\n").problem())
        .startsWith(
            "task 'w' of dag 'p': outlet dataset URI 's3://b/{ds}' is not a valid URI: Illegal"
                + " character in path at position 8");
  }

  @Test
  void should_reject_bad_dataset_schedules_naming_the_dag() {
    assertThat(error("dag('c') {\n schedule datasets()\n empty('t')\n}\n").getMessage())
        .isEqualTo(
            "dags/test.groovy:2: dag 'c': schedule datasets(…) needs at least one dataset URI,"
                + " such as datasets('file:///data/sales.csv')");
    assertThat(error("dag('c') {\n schedule datasets('a', '  ')\n empty('t')\n}\n").problem())
        .isEqualTo(
            "dag 'c': schedule datasets(…): dataset URI '  ' is blank; write one such as"
                + " 'file:///data/sales.csv'");
    assertThat(error("dag('c') {\n schedule dataset('a')\n empty('t')\n}\n").problem())
        .isEqualTo(
            "dag 'c': schedule takes datasets('a', …) to run when datasets are updated, not"
                + " dataset(…)");
  }

  @Test
  void should_refuse_to_combine_a_time_schedule_with_datasets() {
    String combined =
        "dag 'c' cannot combine schedule '@daily' with 'datasets(s3://b/x)': a DAG runs either"
            + " on a time schedule or on datasets, not both (combining them is not supported yet)";
    assertThat(
            error(
                    "dag('c') {\n startDate '2025-01-01'\n schedule '@daily', datasets('s3://b/x')\n"
                        + " empty('t')\n}\n")
                .problem())
        .isEqualTo(combined);
    assertThat(
            error(
                    "dag('c') {\n startDate '2025-01-01'\n schedule '@daily'\n"
                        + " schedule datasets('s3://b/x')\n empty('t')\n}\n")
                .getMessage())
        .isEqualTo("dags/test.groovy:4: " + combined);
  }

  @Test
  void should_refuse_outlets_in_defaults() {
    assertThat(
            error(
                    "dag('p') {\n schedule none()\n defaults { retries 1; outlets dataset('a') }\n"
                        + " empty('t')\n}\n")
                .problem())
        .startsWith("outlets cannot be set in defaults: an outlet belongs to the task");
  }
}
