package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} must do for people browsing history (pages of runs, tries of a
 * run, a task across runs), run against each database Weir supports, with the JVM in a zone east of
 * UTC as in {@link MetadataStoreContractTest}.
 */
abstract class HistoryStoreContractTest extends StoreContract {
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  // Pages of runs

  @Test
  void should_list_a_dags_runs_newest_first_a_page_at_a_time_and_count_them_all() {
    List<DagRunRow> runs = runsOfDays("etl", 5);
    runsOfDays("other", 2);

    assertThat(ids(store.runs(new RunQuery("etl", Set.of(), null, null, 2, 0))))
        .containsExactly(runs.get(4).id(), runs.get(3).id());
    assertThat(ids(store.runs(new RunQuery("etl", Set.of(), null, null, 2, 2))))
        .containsExactly(runs.get(2).id(), runs.get(1).id());
    assertThat(ids(store.runs(new RunQuery("etl", Set.of(), null, null, 2, 4))))
        .containsExactly(runs.get(0).id());
    assertThat(store.runs(new RunQuery("etl", Set.of(), null, null, 2, 6))).isEmpty();
    assertThat(store.runs(new RunQuery("etl", Set.of(), null, null, 0, 0))).isEmpty();
    assertThat(store.countRuns(new RunQuery("etl", Set.of(), null, null, 2, 4))).isEqualTo(5);
    assertThat(store.countRuns(RunQuery.of(null, 1))).isEqualTo(7);
  }

  @Test
  void should_list_runs_of_every_dag_with_ties_of_logical_date_newest_id_first() {
    DagRunRow a = store.insertRun(scheduled("a", T0), List.of());
    DagRunRow b = store.insertRun(scheduled("b", T0), List.of());
    DagRunRow later = store.insertRun(scheduled("a", T0.plus(DAY)), List.of());
    DagRunRow c = store.insertRun(scheduled("c", T0), List.of());

    assertThat(ids(store.runs(RunQuery.of(null, 10))))
        .containsExactly(later.id(), c.id(), b.id(), a.id());
  }

  @Test
  void should_filter_runs_by_state_and_by_logical_date_inclusive() {
    List<DagRunRow> runs = runsOfDays("etl", 5);
    store.write(
        new Batch()
            .run(runs.get(0).withState(RunState.SUCCESS, T0, T0))
            .run(runs.get(1).withState(RunState.FAILED, T0, T0))
            .run(runs.get(3).withState(RunState.SUCCESS, T0, T0))
            .run(runs.get(4).withState(RunState.RUNNING, T0, null)));
    Instant day1 = runs.get(1).logicalDate();
    Instant day3 = runs.get(3).logicalDate();

    RunQuery finished =
        new RunQuery("etl", Set.of(RunState.SUCCESS, RunState.FAILED), null, null, 10, 0);
    assertThat(ids(store.runs(finished)))
        .containsExactly(runs.get(3).id(), runs.get(1).id(), runs.get(0).id());
    assertThat(store.countRuns(finished)).isEqualTo(3);

    RunQuery between = new RunQuery("etl", Set.of(), day1, day3, 10, 0);
    assertThat(ids(store.runs(between)))
        .containsExactly(runs.get(3).id(), runs.get(2).id(), runs.get(1).id());
    assertThat(store.countRuns(between)).isEqualTo(3);

    RunQuery from = new RunQuery("etl", Set.of(RunState.SUCCESS), day1, null, 10, 0);
    assertThat(ids(store.runs(from))).containsExactly(runs.get(3).id());
    RunQuery to = new RunQuery(null, Set.of(RunState.SUCCESS), null, day1, 10, 0);
    assertThat(ids(store.runs(to))).containsExactly(runs.get(0).id());

    RunQuery none = new RunQuery("etl", Set.of(RunState.QUEUED), day3, null, 10, 0);
    assertThat(store.runs(none)).isEmpty();
    assertThat(store.countRuns(none)).isZero();
    assertThat(store.countRuns(RunQuery.of("ghost", 10))).isZero();
  }

  @Test
  void should_refuse_a_run_query_with_a_negative_limit_or_offset() {
    assertThatThrownBy(() -> new RunQuery("etl", null, null, null, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new RunQuery("etl", null, null, null, 10, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
    assertThat(new RunQuery("etl", null, null, null, 10, 0).states()).isEmpty();
  }

  // Tries and task instances of runs

  @Test
  void should_list_every_try_of_a_run_by_start() {
    DagRunRow run =
        store.insertRun(scheduled("etl", T0), List.of(none("extract"), none("load"), none("x")));
    DagRunRow other = store.insertRun(scheduled("etl", T0.plus(DAY)), List.of(none("extract")));
    TaskTryRow extract1 = ended(run.id(), "extract", -1, 1, TaskState.FAILED, T0.plusSeconds(1));
    TaskTryRow extract2 = ended(run.id(), "extract", -1, 2, TaskState.SUCCESS, T0.plusSeconds(9));
    TaskTryRow load0 = ended(run.id(), "load", 0, 1, TaskState.SUCCESS, T0.plusSeconds(20));
    TaskTryRow load1 = ended(run.id(), "load", 1, 1, TaskState.SUCCESS, T0.plusSeconds(15));
    TaskTryRow running =
        new TaskTryRow(
            run.id(), "x", 1, TaskState.RUNNING, T0.plusSeconds(30), null, "h", "s", null, -1);
    store.write(
        new Batch()
            .startTry(load0)
            .startTry(running)
            .startTry(extract2)
            .startTry(load1)
            .startTry(extract1)
            .startTry(ended(other.id(), "extract", -1, 1, TaskState.SUCCESS, T0)));

    assertThat(store.triesOfRun(run.id()))
        .containsExactly(extract1, extract2, load1, load0, running);
    DagRunRow empty = store.insertRun(scheduled("etl", T0.plus(DAY.multipliedBy(2))), List.of());
    assertThat(store.triesOfRun(empty.id())).isEmpty();
    assertThat(store.triesOfRun(9_999)).isEmpty();
  }

  @Test
  void should_read_the_task_instances_of_several_runs_at_once() {
    DagRunRow first = store.insertRun(scheduled("etl", T0), List.of(none("b"), none("a")));
    DagRunRow second = store.insertRun(scheduled("etl", T0.plus(DAY)), List.of(none("a")));
    DagRunRow third = store.insertRun(scheduled("etl", T0.plus(DAY.multipliedBy(2))), List.of());
    DagRunRow elsewhere = store.insertRun(scheduled("other", T0), List.of(none("a")));
    store.write(
        new Batch()
            .instance(
                new TaskInstanceRow(
                    second.id(), "a", TaskState.SUCCESS, 1, 3, T0, T0, null, null)));

    assertThat(
            store.taskInstancesOfRuns(
                List.of(second.id(), first.id(), third.id(), first.id(), 9_999L)))
        .extracting(TaskInstanceRow::runPk, TaskInstanceRow::taskId, TaskInstanceRow::state)
        .containsExactly(
            tuple(first.id(), "a", TaskState.NONE),
            tuple(first.id(), "b", TaskState.NONE),
            tuple(second.id(), "a", TaskState.SUCCESS));
    assertThat(store.taskInstancesOfRuns(List.of(elsewhere.id()))).hasSize(1);
    assertThat(store.taskInstancesOfRuns(List.of())).isEmpty();
  }

  // A task across runs

  @Test
  void should_list_a_tasks_tries_over_the_latest_runs_newest_run_first() {
    List<DagRunRow> runs = runsOfDays("etl", 4);
    DagRunRow otherDag =
        store.insertRun(scheduled("other", T0.plus(DAY.multipliedBy(9))), List.of());
    Batch batch = new Batch();
    // Run 0 is older than the latest three; run 2 has no try of the task.
    batch.startTry(ended(runs.get(0).id(), "train", -1, 1, TaskState.SUCCESS, T0));
    batch.startTry(ended(runs.get(1).id(), "train", -1, 1, TaskState.FAILED, T0.plusSeconds(1)));
    batch.startTry(ended(runs.get(1).id(), "train", -1, 2, TaskState.SUCCESS, T0.plusSeconds(2)));
    batch.startTry(ended(runs.get(2).id(), "other", -1, 1, TaskState.SUCCESS, T0));
    batch.startTry(ended(runs.get(3).id(), "train", 1, 1, TaskState.SUCCESS, T0.plusSeconds(3)));
    batch.startTry(ended(runs.get(3).id(), "train", 0, 1, TaskState.SUCCESS, T0.plusSeconds(4)));
    batch.startTry(ended(otherDag.id(), "train", -1, 1, TaskState.SUCCESS, T0));
    store.write(batch);

    List<TaskHistoryRow> history = store.taskHistory("etl", "train", 3);

    assertThat(history)
        .extracting(
            TaskHistoryRow::runId,
            TaskHistoryRow::mapIndex,
            TaskHistoryRow::tryNumber,
            TaskHistoryRow::state)
        .containsExactly(
            tuple(runs.get(3).runId(), 0, 1, TaskState.SUCCESS),
            tuple(runs.get(3).runId(), 1, 1, TaskState.SUCCESS),
            tuple(runs.get(1).runId(), -1, 1, TaskState.FAILED),
            tuple(runs.get(1).runId(), -1, 2, TaskState.SUCCESS));
    assertThat(history.get(0))
        .isEqualTo(
            new TaskHistoryRow(
                runs.get(3).runId(),
                runs.get(3).logicalDate(),
                0,
                1,
                TaskState.SUCCESS,
                T0.plusSeconds(4),
                T0.plusSeconds(5)));
    assertThat(store.taskHistory("etl", "train", 10)).hasSize(5);
    assertThat(store.taskHistory("etl", "train", 0)).isEmpty();
    assertThat(store.taskHistory("etl", "ghost", 10)).isEmpty();
    assertThat(store.taskHistory("ghost", "train", 10)).isEmpty();
    assertThatThrownBy(() -> store.taskHistory("etl", "train", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("task train of DAG etl");
  }

  @Test
  void should_list_a_tasks_xcom_values_over_the_latest_runs_newest_first() {
    List<DagRunRow> runs = runsOfDays("ml", 4);
    DagRunRow otherDag =
        store.insertRun(scheduled("other", T0.plus(DAY.multipliedBy(9))), List.of());
    store.write(
        new Batch()
            .xcoms(runs.get(0).id(), "train", -1, java.util.Map.of("accuracy", "0.5"), T0)
            .xcoms(
                runs.get(1).id(),
                "train",
                -1,
                java.util.Map.of("accuracy", "0.75", "loss", "0.2"),
                T0)
            .xcoms(runs.get(2).id(), "evaluate", -1, java.util.Map.of("accuracy", "0.1"), T0)
            .xcoms(runs.get(3).id(), "train", 1, java.util.Map.of("accuracy", "0.9"), T0)
            .xcoms(runs.get(3).id(), "train", 0, java.util.Map.of("accuracy", "0.8"), T0)
            .xcoms(otherDag.id(), "train", -1, java.util.Map.of("accuracy", "1.0", "x", "1"), T0));

    assertThat(store.xcomHistory("ml", "train", "accuracy", 3))
        .containsExactly(
            new XComHistoryRow(runs.get(3).runId(), runs.get(3).logicalDate(), 0, "0.8"),
            new XComHistoryRow(runs.get(3).runId(), runs.get(3).logicalDate(), 1, "0.9"),
            new XComHistoryRow(runs.get(1).runId(), runs.get(1).logicalDate(), -1, "0.75"));
    assertThat(store.xcomHistory("ml", "train", "accuracy", 10))
        .extracting(XComHistoryRow::valueJson)
        .containsExactly("0.8", "0.9", "0.75", "0.5");
    assertThat(store.xcomHistory("ml", "train", "missing", 10)).isEmpty();
    assertThat(store.xcomHistory("ml", "train", "accuracy", 0)).isEmpty();
    assertThatThrownBy(() -> store.xcomHistory("ml", "train", "accuracy", -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("XCom accuracy of task train of DAG ml");

    assertThat(store.xcomKeys("ml"))
        .containsExactly(
            new XComKey("evaluate", "accuracy"),
            new XComKey("train", "accuracy"),
            new XComKey("train", "loss"));
    assertThat(store.xcomKeys("ghost")).isEmpty();
  }

  // Rendered template fields

  @Test
  void should_keep_each_trys_rendered_fields_in_the_order_they_were_rendered() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract")));
    TaskTryRow first = ended(run.id(), "extract", -1, 1, TaskState.FAILED, T0);
    TaskTryRow second = ended(run.id(), "extract", -1, 2, TaskState.SUCCESS, T0.plusSeconds(5));
    TaskTryRow mapped = ended(run.id(), "extract", 3, 1, TaskState.SUCCESS, T0.plusSeconds(9));
    java.util.Map<String, String> firstFields = new java.util.LinkedHashMap<>();
    firstFields.put("command", "fetch --day 2025-03-01 --token ***");
    firstFields.put("env B", "2");
    firstFields.put("env A", "1 \"quoted\"\nsecond line");
    firstFields.put("cwd", "/tmp/é");
    store.write(new Batch().startTry(first).renderedFields(first, firstFields));
    // A try started and ended in one batch gets its fields in that batch too.
    store.write(
        new Batch()
            .startTry(second)
            .renderedFields(second, java.util.Map.of("command", "fetch --day 2025-03-01"))
            .startTry(mapped)
            .renderedFields(mapped, java.util.Map.of("command", "fetch 3")));

    assertThat(store.renderedFields(run.id(), "extract", -1, 1))
        .containsExactlyEntriesOf(firstFields);
    assertThat(store.renderedFields(run.id(), "extract", -1, 2))
        .containsExactly(java.util.Map.entry("command", "fetch --day 2025-03-01"));
    assertThat(store.renderedFields(run.id(), "extract", 3, 1))
        .containsExactly(java.util.Map.entry("command", "fetch 3"));
    assertThat(store.renderedFields(run.id(), "extract", -1, 3)).isEmpty();
    assertThat(store.renderedFields(run.id(), "load", -1, 1)).isEmpty();
  }

  @Test
  void should_record_no_rendered_fields_for_none_or_for_a_try_not_in_the_store() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("code"), none("ghost")));
    TaskTryRow code = ended(run.id(), "code", -1, 1, TaskState.SUCCESS, T0);
    Batch batch = new Batch().startTry(code).renderedFields(code, java.util.Map.of());
    store.write(batch);
    assertThat(batch.renderedTries()).isEmpty();

    TaskTryRow neverStarted = ended(run.id(), "ghost", -1, 1, TaskState.SUCCESS, T0);
    store.write(new Batch().renderedFields(neverStarted, java.util.Map.of("command", "x")));

    assertThat(store.renderedFields(run.id(), "code", -1, 1)).isEmpty();
    assertThat(store.renderedFields(run.id(), "ghost", -1, 1)).isEmpty();
    assertThat(renderedRows()).isZero();
  }

  @Test
  void should_keep_rendered_fields_when_an_instance_is_cleared_and_delete_them_with_the_run()
      throws Exception {
    DagRunRow old = store.insertRun(scheduled("etl", T0), List.of(none("t")));
    DagRunRow recent = store.insertRun(scheduled("etl", T0.plus(DAY.multipliedBy(9))), List.of());
    TaskTryRow oldTry = ended(old.id(), "t", -1, 1, TaskState.SUCCESS, T0);
    TaskTryRow recentTry = ended(recent.id(), "t", -1, 1, TaskState.SUCCESS, T0);
    store.write(
        new Batch()
            .startTry(oldTry)
            .renderedFields(oldTry, java.util.Map.of("command", "old"))
            .startTry(recentTry)
            .renderedFields(recentTry, java.util.Map.of("command", "recent"))
            .instance(
                new TaskInstanceRow(old.id(), "t", TaskState.SUCCESS, 1, 1, T0, T0, null, null))
            .run(old.withState(RunState.SUCCESS, T0, T0))
            .run(recent.withState(RunState.SUCCESS, T0, T0)));

    // Cleared: the instance starts over, its tries and what they ran stay.
    store.write(
        new Batch()
            .instance(
                new TaskInstanceRow(old.id(), "t", TaskState.NONE, 1, 2, null, null, null, null))
            .xcoms(old.id(), "t", -1, java.util.Map.of(), T0));
    assertThat(store.renderedFields(old.id(), "t", -1, 1)).containsEntry("command", "old");

    store.write(
        new Batch()
            .instance(
                new TaskInstanceRow(old.id(), "t", TaskState.SUCCESS, 1, 2, T0, T0, null, null)));
    assertThat(store.clean(T0.plus(DAY))).isEqualTo(1);

    assertThat(store.renderedFields(old.id(), "t", -1, 1)).isEmpty();
    assertThat(store.renderedFields(recent.id(), "t", -1, 1)).containsEntry("command", "recent");
    assertThat(renderedRows()).isEqualTo(1);
  }

  private int renderedRows() {
    try (java.sql.Connection c = database.dataSource().getConnection();
        java.sql.Statement statement = c.createStatement();
        java.sql.ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM rendered_fields")) {
      rs.next();
      int count = rs.getInt(1);
      c.rollback();
      return count;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // Fixtures

  private static List<Long> ids(List<DagRunRow> runs) {
    return runs.stream().map(DagRunRow::id).toList();
  }

  /**
   * Runs of a DAG on consecutive days from T0, oldest first, inserted in neither that order nor its
   * reverse (even days down, then odd days up), so that no order of ids passes for one of dates.
   */
  private List<DagRunRow> runsOfDays(String dagId, int days) {
    DagRunRow[] runs = new DagRunRow[days];
    java.util.List<Integer> order = new java.util.ArrayList<>();
    for (int day = (days - 1) / 2 * 2; day >= 0; day -= 2) {
      order.add(day);
    }
    for (int day = 1; day < days; day += 2) {
      order.add(day);
    }
    for (int day : order) {
      runs[day] = store.insertRun(scheduled(dagId, T0.plus(DAY.multipliedBy(day))), List.of());
    }
    return List.of(runs);
  }

  private NewRun scheduled(String dagId, Instant logicalDate) {
    long versionId =
        store.saveVersion(dagId, "a".repeat(64), null, "dags/" + dagId + ".groovy", "", T0);
    return new NewRun(
        dagId,
        "scheduled__" + logicalDate,
        RunType.SCHEDULED,
        logicalDate,
        logicalDate.minus(DAY),
        logicalDate,
        "{}",
        logicalDate,
        versionId,
        null);
  }

  private static TaskInstanceRow none(String taskId) {
    return new TaskInstanceRow(0, taskId, TaskState.NONE, 0, 3, null, null, null, null);
  }

  /** A try that started at {@code start} and ended a second later. */
  private static TaskTryRow ended(
      long runPk, String taskId, int mapIndex, int tryNumber, TaskState state, Instant start) {
    return new TaskTryRow(
        runPk,
        taskId,
        tryNumber,
        state,
        start,
        start.plusSeconds(1),
        "worker-1",
        "scheduler-1",
        state == TaskState.FAILED ? "exit code 1" : null,
        mapIndex);
  }
}
