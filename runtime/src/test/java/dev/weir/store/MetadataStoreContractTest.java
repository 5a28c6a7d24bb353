package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.weir.model.CallbackEvent;
import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} must do, run against each database Weir supports. The JVM runs
 * in a zone east of UTC meanwhile, so that a time read or written in the local zone shows.
 */
abstract class MetadataStoreContractTest extends StoreContract {
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void should_report_the_schema_up_to_date_once_opened() {
    SchemaStatus status = database.check();

    assertThat(status.upToDate()).isTrue();
    assertThat(status.pending()).isEmpty();
    assertThat(status.currentVersion()).contains(Migrations.latest());
  }

  // Runs

  @Test
  void should_round_trip_a_run_with_every_field_at_microsecond_precision() {
    long versionId = version("etl", "a");
    BackfillRow backfill = store.insertBackfill("etl", T0, T0.plus(DAY), "failed", 2, T0);
    Instant logical = T0.plusNanos(123_456_789);
    NewRun newRun =
        new NewRun(
            "etl",
            "backfill__2025-03-01T00:00:00.123456+00:00",
            RunType.BACKFILL,
            logical,
            logical.minus(DAY),
            logical,
            "{\"x\": 1}",
            T0.plusSeconds(5).plusNanos(999),
            versionId,
            backfill.id());

    DagRunRow inserted = store.insertRun(newRun, List.of(none("extract")));

    assertThat(inserted.logicalDate()).isEqualTo(T0.plusNanos(123_456_000));
    assertThat(inserted.intervalStart()).isEqualTo(T0.minus(DAY).plusNanos(123_456_000));
    assertThat(inserted.queuedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(inserted.state()).isEqualTo(RunState.QUEUED);
    assertThat(inserted.type()).isEqualTo(RunType.BACKFILL);
    assertThat(inserted.conf()).isEqualTo("{\"x\": 1}");
    assertThat(inserted.backfillId()).isEqualTo(backfill.id());
    assertThat(inserted.startDate()).isNull();
    assertThat(store.run(inserted.id())).contains(inserted);
    assertThat(store.run("etl", newRun.runId())).contains(inserted);
    assertThat(store.run("etl", "nope")).isEmpty();

    DagRunRow running =
        inserted.withState(RunState.RUNNING, T0.plusSeconds(6).plusNanos(1_500), null);
    store.write(new Batch().run(running));
    assertThat(store.run(inserted.id()).orElseThrow().startDate())
        .isEqualTo(T0.plusSeconds(6).plusNanos(1_000));
    assertThat(store.run(inserted.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void should_store_instants_as_the_absolute_time_whatever_the_session_zone() throws Exception {
    DagRunRow run = store.insertRun(scheduled("etl", T0.plusMillis(1_500)), List.of());

    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT EXTRACT(EPOCH FROM logical_date) FROM dag_run WHERE id = ?")) {
      ps.setLong(1, run.id());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBigDecimal(1))
            .isEqualByComparingTo(
                BigDecimal.valueOf(T0.getEpochSecond()).add(new BigDecimal("1.5")));
      }
      c.rollback();
    }
  }

  @Test
  void should_create_the_runs_task_instances_with_it() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract"), none("load")));

    assertThat(store.taskInstances(run.id()))
        .containsExactly(
            new TaskInstanceRow(run.id(), "extract", TaskState.NONE, 0, 3, null, null, null, null),
            new TaskInstanceRow(run.id(), "load", TaskState.NONE, 0, 3, null, null, null, null));
  }

  @Test
  void should_reject_a_second_run_with_the_same_run_id_or_logical_date() {
    NewRun first = scheduled("etl", T0);
    store.insertRun(first, List.of(none("extract")));
    NewRun sameRunId =
        new NewRun(
            "etl",
            first.runId(),
            RunType.MANUAL,
            T0.plus(DAY),
            T0,
            T0.plus(DAY),
            "{}",
            T0,
            first.versionId(),
            null);
    NewRun sameDate =
        new NewRun(
            "etl", "manual__x", RunType.MANUAL, T0, T0, T0, "{}", T0, first.versionId(), null);

    assertThatThrownBy(() -> store.insertRun(sameRunId, List.of(none("extract"))))
        .isInstanceOfSatisfying(
            DuplicateRunException.class,
            e -> {
              assertThat(e.dagId()).isEqualTo("etl");
              assertThat(e.runId()).isEqualTo(first.runId());
            });
    assertThatThrownBy(() -> store.insertRun(sameDate, List.of()))
        .isInstanceOf(DuplicateRunException.class)
        .hasMessageContaining("manual__x");
    assertThat(store.runs("etl", null, 10)).hasSize(1);
    // Another DAG may have a run at the same date with the same id.
    store.insertRun(scheduled("other", T0), List.of());
  }

  @Test
  void should_create_no_run_when_its_task_instances_cannot_be_inserted() {
    NewRun run = scheduled("etl", T0);

    assertThatThrownBy(() -> store.insertRun(run, List.of(none("extract"), none("extract"))))
        .isInstanceOf(StoreException.class)
        .isNotInstanceOf(DuplicateRunException.class)
        .hasMessageContaining(run.runId());
    assertThat(store.run("etl", run.runId())).isEmpty();
  }

  @Test
  void should_list_runs_newest_first_by_state_and_limit() {
    DagRunRow first = store.insertRun(scheduled("etl", T0), List.of());
    DagRunRow second = store.insertRun(scheduled("etl", T0.plus(DAY)), List.of());
    DagRunRow third = store.insertRun(scheduled("etl", T0.plus(DAY.multipliedBy(2))), List.of());
    store.insertRun(scheduled("other", T0.plus(DAY)), List.of());
    store.write(new Batch().run(second.withState(RunState.RUNNING, T0, null)));

    assertThat(store.runs("etl", null, 10))
        .extracting(DagRunRow::id)
        .containsExactly(third.id(), second.id(), first.id());
    assertThat(store.runs("etl", null, 2))
        .extracting(DagRunRow::id)
        .containsExactly(third.id(), second.id());
    assertThat(store.runs("etl", RunState.QUEUED, 10))
        .extracting(DagRunRow::id)
        .containsExactly(third.id(), first.id());
    assertThat(store.runs("etl", RunState.RUNNING, 10))
        .extracting(DagRunRow::id)
        .containsExactly(second.id());
  }

  @Test
  void should_list_runs_between_two_dates_inclusive_oldest_first() {
    List<Long> ids = new ArrayList<>();
    for (int day = 4; day >= 0; day--) {
      ids.add(0, store.insertRun(scheduled("etl", T0.plus(DAY.multipliedBy(day))), List.of()).id());
    }
    store.insertRun(scheduled("other", T0.plus(DAY)), List.of());

    assertThat(store.runsBetween("etl", T0.plus(DAY), T0.plus(DAY.multipliedBy(3))))
        .extracting(DagRunRow::id)
        .containsExactly(ids.get(1), ids.get(2), ids.get(3));
    assertThat(store.runsBetween("etl", T0.plusSeconds(1), T0.plus(DAY).minusSeconds(1))).isEmpty();
  }

  @Test
  void should_list_runs_of_every_dag_in_some_states_oldest_first() {
    DagRunRow late = store.insertRun(scheduled("a", T0.plus(DAY.multipliedBy(2))), List.of());
    DagRunRow early = store.insertRun(scheduled("b", T0), List.of());
    DagRunRow done = store.insertRun(scheduled("c", T0.plus(DAY)), List.of());
    DagRunRow running = store.insertRun(scheduled("d", T0.plus(DAY)), List.of());
    store.write(
        new Batch()
            .run(done.withState(RunState.SUCCESS, T0, T0))
            .run(running.withState(RunState.RUNNING, T0, null)));

    assertThat(store.runsIn(Set.of(RunState.QUEUED, RunState.RUNNING)))
        .extracting(DagRunRow::id)
        .containsExactly(early.id(), running.id(), late.id());
    assertThat(store.runsIn(Set.of(RunState.SUCCESS)))
        .extracting(DagRunRow::id)
        .containsExactly(done.id());
    assertThat(store.runsIn(Set.of())).isEmpty();
  }

  @Test
  void should_find_the_latest_scheduled_logical_date_ignoring_other_runs() {
    assertThat(store.latestScheduledLogicalDate("etl")).isEmpty();
    store.insertRun(scheduled("etl", T0), List.of());
    store.insertRun(scheduled("etl", T0.plus(DAY)), List.of());
    long versionId = version("etl", "a");
    store.insertRun(
        new NewRun(
            "etl",
            "manual__late",
            RunType.MANUAL,
            T0.plus(DAY.multipliedBy(5)),
            T0,
            T0,
            "{}",
            T0,
            versionId,
            null),
        List.of());
    store.insertRun(scheduled("other", T0.plus(DAY.multipliedBy(9))), List.of());

    assertThat(store.latestScheduledLogicalDate("etl")).contains(T0.plus(DAY));
  }

  @Test
  void should_find_the_run_just_before_a_logical_date() {
    DagRunRow first = store.insertRun(scheduled("etl", T0), List.of());
    DagRunRow second = store.insertRun(scheduled("etl", T0.plus(DAY)), List.of());
    store.insertRun(scheduled("other", T0.plus(DAY).minusSeconds(1)), List.of());

    assertThat(store.previousRun("etl", T0.plus(DAY.multipliedBy(3)))).contains(second);
    assertThat(store.previousRun("etl", T0.plus(DAY))).contains(first);
    assertThat(store.previousRun("etl", T0)).isEmpty();
  }

  // Task instances, tries and batches

  @Test
  void should_write_tries_instances_and_runs_of_a_batch() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract"), none("load")));
    Instant start = T0.plusSeconds(10);
    TaskTryRow extractTry = tryRow(run.id(), "extract", 1, TaskState.RUNNING, start, null, null);
    store.write(
        new Batch()
            .startTry(extractTry)
            .instance(instance(run.id(), "extract", TaskState.RUNNING, 1, start, null, null))
            .run(run.withState(RunState.RUNNING, start, null)));

    assertThat(store.tries(run.id(), "extract")).containsExactly(extractTry);
    assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);

    Instant end = start.plusSeconds(30);
    Instant retryAt = end.plusSeconds(60);
    store.write(
        new Batch()
            .endTry(tryRow(run.id(), "extract", 1, TaskState.FAILED, start, end, "exit code 3"))
            .instance(
                new TaskInstanceRow(
                    run.id(),
                    "extract",
                    TaskState.UP_FOR_RETRY,
                    1,
                    3,
                    start,
                    end,
                    retryAt,
                    "exit code 3")));

    assertThat(store.tries(run.id(), "extract"))
        .containsExactly(
            tryRow(run.id(), "extract", 1, TaskState.FAILED, start, end, "exit code 3"));
    assertThat(store.taskInstances(run.id()))
        .containsExactly(
            new TaskInstanceRow(
                run.id(),
                "extract",
                TaskState.UP_FOR_RETRY,
                1,
                3,
                start,
                end,
                retryAt,
                "exit code 3"),
            none(run.id(), "load"));
  }

  @Test
  void should_insert_a_try_that_started_and_ended_in_one_batch_once_already_ended() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract")));
    Instant start = T0.plusSeconds(1);
    Instant end = T0.plusSeconds(2);
    Batch batch =
        new Batch()
            .startTry(tryRow(run.id(), "extract", 1, TaskState.RUNNING, start, null, null))
            .endTry(tryRow(run.id(), "extract", 1, TaskState.SUCCESS, start, end, null))
            .instance(instance(run.id(), "extract", TaskState.SUCCESS, 1, start, end, null))
            .run(run.withState(RunState.SUCCESS, start, end));

    store.write(batch);

    assertThat(store.tries(run.id(), "extract"))
        .containsExactly(tryRow(run.id(), "extract", 1, TaskState.SUCCESS, start, end, null));
    assertThat(store.taskInstances(run.id()).get(0).state()).isEqualTo(TaskState.SUCCESS);
    assertThat(store.run(run.id()).orElseThrow().endDate()).isEqualTo(end);
  }

  @Test
  void should_write_nothing_of_a_batch_when_a_row_fails() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract")));
    TaskTryRow first = tryRow(run.id(), "extract", 1, TaskState.RUNNING, T0, null, null);
    store.write(new Batch().startTry(first));

    // The same try again breaks the primary key: the instance and run changes must not stay.
    Batch failing =
        new Batch()
            .startTry(first)
            .instance(instance(run.id(), "extract", TaskState.RUNNING, 1, T0, null, null))
            .run(run.withState(RunState.RUNNING, T0, null));

    assertThatThrownBy(() -> store.write(failing)).isInstanceOf(StoreException.class);
    assertThat(store.taskInstances(run.id())).containsExactly(none(run.id(), "extract"));
    assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.QUEUED);
  }

  @Test
  void should_write_alerts_with_the_change_they_report_and_deliver_them_oldest_first() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract")));
    Instant end = T0.plusSeconds(30);
    store.write(
        new Batch()
            .instance(instance(run.id(), "extract", TaskState.FAILED, 1, T0, end, "exit code 3"))
            .alert(
                new NewAlert(
                    run.id(), CallbackEvent.TASK_FAILURE, "extract", -1, 1, "exit code 3", end))
            .run(run.withState(RunState.FAILED, T0, end))
            .alert(NewAlert.ofRun(run.id(), CallbackEvent.RUN_FAILURE, null, end)));

    List<AlertRow> pending = store.pendingAlerts(10);
    assertThat(pending)
        .extracting(AlertRow::event, AlertRow::dagId, AlertRow::runId, AlertRow::taskId)
        .containsExactly(
            tuple(CallbackEvent.TASK_FAILURE, "etl", run.runId(), "extract"),
            tuple(CallbackEvent.RUN_FAILURE, "etl", run.runId(), null));
    assertThat(pending.get(0).error()).isEqualTo("exit code 3");
    assertThat(pending.get(0).tryNumber()).isEqualTo(1);
    assertThat(pending.get(0).createdAt()).isEqualTo(end);
    assertThat(store.pendingAlerts(1)).hasSize(1);

    store.alertsDelivered(Map.of(pending.get(0).id(), "sent"), end.plusSeconds(1));

    assertThat(store.pendingAlerts(10))
        .extracting(AlertRow::event)
        .containsExactly(CallbackEvent.RUN_FAILURE);
    assertThat(store.alertOutcome(pending.get(0).id())).contains("sent");
    assertThat(store.alertOutcome(pending.get(1).id())).isEmpty();
    assertThat(store.alertsOfRun(run.id())).hasSize(2);
  }

  @Test
  void should_write_no_alert_when_the_change_it_reports_fails() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract")));
    TaskTryRow first = tryRow(run.id(), "extract", 1, TaskState.RUNNING, T0, null, null);
    store.write(new Batch().startTry(first));

    Batch failing =
        new Batch()
            .startTry(first)
            .alert(new NewAlert(run.id(), CallbackEvent.TASK_RETRY, "extract", -1, 1, "x", T0));

    assertThatThrownBy(() -> store.write(failing)).isInstanceOf(StoreException.class);
    assertThat(store.pendingAlerts(10)).isEmpty();
  }

  @Test
  void should_record_a_missed_deadline_on_its_run() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract")));
    assertThat(run.missedDeadline()).isFalse();
    Instant due = T0.plus(DAY).plusSeconds(3600);

    store.write(new Batch().deadlineMissed(run.id(), due, due.plusSeconds(2)));

    DagRunRow read = store.run(run.id()).orElseThrow();
    assertThat(read.deadlineAt()).isEqualTo(due);
    assertThat(read.deadlineMissedAt()).isEqualTo(due.plusSeconds(2));
    assertThat(read.missedDeadline()).isTrue();
    // A later state change keeps the record.
    store.write(new Batch().run(read.withState(RunState.SUCCESS, T0, due.plusSeconds(9))));
    assertThat(store.run(run.id()).orElseThrow().deadlineAt()).isEqualTo(due);
  }

  @Test
  void should_list_task_instances_in_some_states() {
    DagRunRow a = store.insertRun(scheduled("a", T0), List.of(none("x"), none("y")));
    DagRunRow b = store.insertRun(scheduled("b", T0), List.of(none("x")));
    store.write(
        new Batch()
            .instance(instance(a.id(), "y", TaskState.QUEUED, 0, null, null, null))
            .instance(instance(b.id(), "x", TaskState.RUNNING, 1, T0, null, null)));

    assertThat(store.taskInstancesIn(Set.of(TaskState.QUEUED, TaskState.RUNNING)))
        .extracting(TaskInstanceRow::runPk, TaskInstanceRow::taskId)
        .containsExactly(tuple(a.id(), "y"), tuple(b.id(), "x"));
    assertThat(store.taskInstancesIn(Set.of(TaskState.NONE)))
        .extracting(TaskInstanceRow::taskId)
        .containsExactly("x");
    assertThat(store.taskInstancesIn(Set.of())).isEmpty();
  }

  @Test
  void should_add_only_the_task_instances_a_run_lacks() {
    DagRunRow run = store.insertRun(scheduled("etl", T0), List.of(none("extract")));
    store.write(
        new Batch().instance(instance(run.id(), "extract", TaskState.SUCCESS, 1, T0, T0, null)));

    store.addTaskInstances(List.of(none(run.id(), "extract"), none(run.id(), "report")));

    assertThat(store.taskInstances(run.id()))
        .extracting(TaskInstanceRow::taskId, TaskInstanceRow::state)
        .containsExactly(tuple("extract", TaskState.SUCCESS), tuple("report", TaskState.NONE));
  }

  // DAGs and versions

  @Test
  void should_pause_a_new_dag_as_asked_and_keep_its_paused_flag_when_saved_again() {
    long v1 = version("etl", "a");
    store.saveDag("etl", "dags/etl.groovy", v1, true, T0);
    assertThat(store.dag("etl"))
        .contains(new DagRow("etl", "dags/etl.groovy", true, true, T0, v1, null));

    assertThat(store.setPaused("etl", false)).isTrue();
    long v2 = version("etl", "b");
    store.saveDag("etl", "dags/moved/etl.groovy", v2, true, T0.plusSeconds(30));

    assertThat(store.dag("etl"))
        .contains(
            new DagRow("etl", "dags/moved/etl.groovy", false, true, T0.plusSeconds(30), v2, null));
    store.saveDag("fresh", "dags/fresh.groovy", v2, false, T0);
    assertThat(store.dag("fresh").orElseThrow().paused()).isFalse();
  }

  @Test
  void should_deactivate_dags_until_they_are_saved_again() {
    long versionId = version("a", "a");
    store.saveDag("a", "dags/a.groovy", versionId, false, T0);
    store.saveDag("b", "dags/b.groovy", versionId, false, T0);
    store.saveDag("c", "dags/c.groovy", versionId, false, T0);

    store.deactivateDags(List.of("a", "c", "unknown"));

    assertThat(store.dags())
        .extracting(DagRow::dagId, DagRow::active)
        .containsExactly(tuple("a", false), tuple("b", true), tuple("c", false));
    store.saveDag("a", "dags/a.groovy", versionId, false, T0.plusSeconds(1));
    assertThat(store.dag("a").orElseThrow().active()).isTrue();
  }

  @Test
  void should_say_when_it_cannot_pause_an_unknown_dag() {
    assertThat(store.setPaused("ghost", true)).isFalse();
    assertThat(store.dag("ghost")).isEmpty();
  }

  @Test
  void should_set_and_clear_the_next_run_time() {
    store.saveDag("etl", "dags/etl.groovy", version("etl", "a"), false, T0);

    store.setNextRunAt("etl", T0.plus(DAY));
    assertThat(store.dag("etl").orElseThrow().nextRunAt()).isEqualTo(T0.plus(DAY));
    store.setNextRunAt("etl", null);
    assertThat(store.dag("etl").orElseThrow().nextRunAt()).isNull();
  }

  @Test
  void should_save_a_version_once_per_sha() {
    long first = store.saveVersion("etl", sha('a'), "abc123", "dags/etl.groovy", "dag 1", T0);
    long again = store.saveVersion("etl", sha('a'), null, "dags/other.groovy", "dag 1", T0);
    long changed = store.saveVersion("etl", sha('b'), null, "dags/etl.groovy", "dag 2", T0);
    long otherDag = store.saveVersion("other", sha('a'), null, "dags/etl.groovy", "dag 1", T0);

    assertThat(again).isEqualTo(first);
    assertThat(changed).isNotEqualTo(first);
    assertThat(otherDag).isNotIn(first, changed);
    assertThat(store.version(first))
        .contains(new DagVersion(first, "etl", sha('a'), "abc123", "dags/etl.groovy", "dag 1", T0));
    assertThat(store.version(changed).orElseThrow().source()).isEqualTo("dag 2");
    assertThat(store.version(9_999)).isEmpty();
  }

  @Test
  void should_save_one_version_when_processes_save_it_at_once() throws Exception {
    List<Long> ids =
        race(8, () -> store.saveVersion("etl", sha('c'), null, "dags/etl.groovy", "dag", T0));

    assertThat(ids).containsOnly(ids.get(0));
    assertThat(store.version(ids.get(0))).isPresent();
  }

  // Import errors

  @Test
  void should_replace_every_import_error() {
    store.replaceImportErrors(
        List.of(
            new ImportErrorRow("dags/b.groovy", 3, "dags/b.groovy:3: oops", T0),
            new ImportErrorRow("dags/a.groovy", 0, "dags/a.groovy: unreadable", T0)));
    assertThat(store.importErrors())
        .extracting(ImportErrorRow::file)
        .containsExactly("dags/a.groovy", "dags/b.groovy");

    ImportErrorRow only = new ImportErrorRow("dags/c.groovy", 7, "dags/c.groovy:7: x", T0);
    store.replaceImportErrors(List.of(only));
    assertThat(store.importErrors()).containsExactly(only);

    store.replaceImportErrors(List.of());
    assertThat(store.importErrors()).isEmpty();
  }

  // Pools

  @Test
  void should_have_the_default_pool_once_migrated() {
    assertThat(store.pools()).containsExactly(new PoolRow(PoolRow.DEFAULT, 128, "Default pool"));
  }

  @Test
  void should_create_update_and_delete_pools() {
    store.savePool(new PoolRow("gpu", 2, "GPUs"));
    store.savePool(new PoolRow("api", 5, "Rate-limited API"));
    store.savePool(new PoolRow("gpu", 4, "More GPUs"));

    assertThat(store.pools())
        .containsExactly(
            new PoolRow("api", 5, "Rate-limited API"),
            new PoolRow(PoolRow.DEFAULT, 128, "Default pool"),
            new PoolRow("gpu", 4, "More GPUs"));
    assertThat(store.deletePool("api")).isTrue();
    assertThat(store.deletePool("api")).isFalse();
    assertThat(store.pools()).extracting(PoolRow::name).containsExactly(PoolRow.DEFAULT, "gpu");
  }

  // The scheduler lease

  @Test
  void should_take_a_free_lease_and_refuse_a_held_one() {
    Lease a = lease("a", T0);
    assertThat(store.lease()).isEmpty();

    assertThat(store.acquireLease(a, Optional.empty())).isTrue();
    assertThat(store.acquireLease(lease("b", T0), Optional.empty())).isFalse();
    assertThat(store.lease()).contains(a);
  }

  @Test
  void should_take_over_a_lease_only_from_the_holder_the_caller_saw() {
    store.acquireLease(lease("a", T0), Optional.empty());
    Lease seen = store.lease().orElseThrow();
    Lease b = lease("b", T0.plusSeconds(60));
    Lease c = lease("c", T0.plusSeconds(60));

    assertThat(store.acquireLease(b, Optional.of(seen))).isTrue();
    // c saw a too, but b took the lease meanwhile.
    assertThat(store.acquireLease(c, Optional.of(seen))).isFalse();
    assertThat(store.lease()).contains(b);
  }

  @Test
  void should_not_take_over_a_lease_renewed_since_the_caller_saw_it() {
    store.acquireLease(lease("a", T0), Optional.empty());
    Lease seen = store.lease().orElseThrow();
    assertThat(store.renewLease("a", T0.plusSeconds(10))).isTrue();

    assertThat(store.acquireLease(lease("b", T0.plusSeconds(60)), Optional.of(seen))).isFalse();
    assertThat(store.lease().orElseThrow().schedulerId()).isEqualTo("a");
  }

  @Test
  void should_take_a_lease_released_after_the_caller_saw_it() {
    store.acquireLease(lease("a", T0), Optional.empty());
    Lease seen = store.lease().orElseThrow();
    store.releaseLease("a");

    assertThat(store.acquireLease(lease("b", T0), Optional.of(seen))).isTrue();
    assertThat(store.lease().orElseThrow().schedulerId()).isEqualTo("b");
  }

  @Test
  void should_renew_and_release_only_its_own_lease() {
    store.acquireLease(lease("a", T0), Optional.empty());

    assertThat(store.renewLease("b", T0.plusSeconds(5))).isFalse();
    store.releaseLease("b");
    assertThat(store.lease().orElseThrow().heartbeatAt()).isEqualTo(T0);

    assertThat(store.renewLease("a", T0.plusSeconds(5))).isTrue();
    assertThat(store.lease().orElseThrow().heartbeatAt()).isEqualTo(T0.plusSeconds(5));
    store.releaseLease("a");
    assertThat(store.lease()).isEmpty();
    assertThat(store.renewLease("a", T0.plusSeconds(6))).isFalse();
  }

  @Test
  void should_give_a_free_lease_to_exactly_one_of_racing_schedulers() throws Exception {
    List<Integer> names = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      names.add(i);
    }
    List<Boolean> won =
        race(
            names.size(),
            names.stream()
                .<Callable<Boolean>>map(
                    i -> () -> store.acquireLease(lease("s" + i, T0), Optional.empty()))
                .toList());

    assertThat(won).containsOnlyOnce(true);
    String holder = "s" + won.indexOf(true);
    assertThat(store.lease().orElseThrow().schedulerId()).isEqualTo(holder);
  }

  // Requests to the scheduler

  @Test
  void should_post_list_and_complete_requests_oldest_first() {
    long first = store.postCommand("trigger", "{\"dag\":\"etl\"}", T0);
    long second = store.postCommand("pause", "{\"dag\":\"etl\"}", T0);

    assertThat(store.pendingCommands())
        .containsExactly(
            new CommandRow(first, "trigger", "{\"dag\":\"etl\"}", T0, null, null, null),
            new CommandRow(second, "pause", "{\"dag\":\"etl\"}", T0, null, null, null));

    store.completeCommand(first, "{\"runId\":\"manual__1\"}", null, T0.plusSeconds(1));
    store.completeCommand(second, null, "DAG etl is unknown", T0.plusSeconds(2));

    assertThat(store.pendingCommands()).isEmpty();
    assertThat(store.command(first))
        .contains(
            new CommandRow(
                first,
                "trigger",
                "{\"dag\":\"etl\"}",
                T0,
                T0.plusSeconds(1),
                "{\"runId\":\"manual__1\"}",
                null));
    assertThat(store.command(second).orElseThrow().error()).isEqualTo("DAG etl is unknown");
    assertThat(store.command(12_345)).isEmpty();
  }

  // Retention

  @Test
  void should_clean_only_finished_runs_before_the_date_with_their_instances_and_tries() {
    DagRunRow oldSuccess = finishedRun("etl", T0, RunState.SUCCESS);
    DagRunRow oldFailed = finishedRun("etl", T0.plus(DAY), RunState.FAILED);
    DagRunRow oldRunning = store.insertRun(scheduled("etl", T0.minus(DAY)), List.of(none("t")));
    store.write(new Batch().run(oldRunning.withState(RunState.RUNNING, T0, null)));
    DagRunRow oldQueued = store.insertRun(scheduled("other", T0), List.of(none("t")));
    DagRunRow recent = finishedRun("etl", T0.plus(DAY.multipliedBy(5)), RunState.SUCCESS);

    int deleted = store.clean(T0.plus(DAY.multipliedBy(5)));

    assertThat(deleted).isEqualTo(2);
    assertThat(store.run(oldSuccess.id())).isEmpty();
    assertThat(store.run(oldFailed.id())).isEmpty();
    assertThat(store.taskInstances(oldSuccess.id())).isEmpty();
    assertThat(store.tries(oldSuccess.id(), "t")).isEmpty();
    assertThat(store.taskInstances(oldFailed.id())).isEmpty();
    assertThat(store.run(oldRunning.id())).isPresent();
    assertThat(store.run(oldQueued.id())).isPresent();
    assertThat(store.taskInstances(oldQueued.id())).hasSize(1);
    assertThat(store.run(recent.id())).isPresent();
    assertThat(store.tries(recent.id(), "t")).hasSize(1);
  }

  @Test
  void should_clean_only_carried_out_requests_before_the_date() {
    long oldDone = store.postCommand("trigger", "{}", T0);
    long oldPending = store.postCommand("trigger", "{}", T0);
    long recentDone = store.postCommand("trigger", "{}", T0.plus(DAY));
    store.completeCommand(oldDone, "{}", null, T0.plusSeconds(1));
    store.completeCommand(recentDone, "{}", null, T0.plus(DAY));

    assertThat(store.clean(T0.plusSeconds(60))).isZero();

    assertThat(store.command(oldDone)).isEmpty();
    assertThat(store.command(oldPending)).isPresent();
    assertThat(store.command(recentDone)).isPresent();
  }

  // Backfills

  @Test
  void should_round_trip_a_backfill() {
    BackfillRow saved =
        store.insertBackfill("etl", T0, T0.plus(DAY), "completed", 3, T0.plusNanos(1_234_567));

    assertThat(saved.createdAt()).isEqualTo(T0.plusNanos(1_234_000));
    assertThat(store.backfill(saved.id())).contains(saved);
    assertThat(store.backfill(saved.id() + 1)).isEmpty();
  }

  // Fixtures

  private static String sha(char c) {
    return String.valueOf(c).repeat(64);
  }

  private long version(String dagId, String content) {
    return store.saveVersion(
        dagId, sha(content.charAt(0)), null, "dags/" + dagId + ".groovy", content, T0);
  }

  private NewRun scheduled(String dagId, Instant logicalDate) {
    long versionId = version(dagId, "a");
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

  private DagRunRow finishedRun(String dagId, Instant logicalDate, RunState state) {
    DagRunRow run = store.insertRun(scheduled(dagId, logicalDate), List.of(none("t")));
    TaskState taskState = state == RunState.SUCCESS ? TaskState.SUCCESS : TaskState.FAILED;
    store.write(
        new Batch()
            .startTry(tryRow(run.id(), "t", 1, taskState, T0, T0, null))
            .instance(instance(run.id(), "t", taskState, 1, T0, T0, null))
            .run(run.withState(state, T0, T0)));
    return run;
  }

  private static TaskInstanceRow none(String taskId) {
    return none(0, taskId);
  }

  private static TaskInstanceRow none(long runPk, String taskId) {
    return new TaskInstanceRow(runPk, taskId, TaskState.NONE, 0, 3, null, null, null, null);
  }

  private static TaskInstanceRow instance(
      long runPk,
      String taskId,
      TaskState state,
      int tryNumber,
      Instant start,
      Instant end,
      String error) {
    return new TaskInstanceRow(runPk, taskId, state, tryNumber, 3, start, end, null, error);
  }

  private static TaskTryRow tryRow(
      long runPk,
      String taskId,
      int tryNumber,
      TaskState state,
      Instant start,
      Instant end,
      String error) {
    return new TaskTryRow(
        runPk, taskId, tryNumber, state, start, end, "worker-1", "scheduler-1", error);
  }

  private static Lease lease(String schedulerId, Instant at) {
    return new Lease(schedulerId, "host-" + schedulerId, 4242, at, at);
  }

  /** Runs the same call on several threads released at once. */
  private static <T> List<T> race(int threads, Callable<T> call) throws Exception {
    List<Callable<T>> calls = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      calls.add(call);
    }
    return race(threads, calls);
  }

  private static <T> List<T> race(int threads, List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
