package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.TaskState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sql and sqlToSql operators against one real database; subclasses say which. */
abstract class SqlOperatorsContractTest {
  @TempDir Path root;
  OperatorHarness harness;

  /** Adds connections 'db' and 'db2' (two empty databases) to the harness. */
  abstract void addConnections(OperatorHarness harness) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    harness = new OperatorHarness(root);
    addConnections(harness);
    execute("db", "CREATE TABLE sales (sold_on DATE, region VARCHAR(10), amount INT)");
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  void execute(String conn, String sql) throws Exception {
    try (Connection c = JdbcConnections.open(harness.connections.get(conn));
        Statement s = c.createStatement()) {
      s.execute(sql);
      c.commit();
    }
  }

  List<List<Object>> rows(String conn, String sql) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = JdbcConnections.open(harness.connections.get(conn));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getObject(i) == null ? null : rs.getObject(i).toString());
        }
        rows.add(row);
      }
      c.rollback();
    }
    return rows;
  }

  @Test
  void should_run_statements_in_order_with_positional_parameters_and_return_the_last_rows()
      throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask(
            """
            sql('t') {
                conn 'db'
                statement '''
                    insert into sales (sold_on, region, amount) values (?, 'eu', ?);
                    insert into sales (sold_on, region, amount) values (?, 'us', 7);
                    select region as region, amount as amount from sales order by region
                '''
                parameters(['{{ ds }}', 5, '{{ ds }}'])
            }
            """);

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(lowerKeys(ran.result()))
        .isEqualTo(
            List.of(Map.of("region", "eu", "amount", 5), Map.of("region", "us", "amount", 7)));
    assertThat(rows("db", "select sold_on from sales where region = 'eu'"))
        .containsExactly(List.of("2025-03-01"));
    assertThat(ran.log()).contains("Running statement 3 of 3").contains("2 row(s)");
    assertThat(ran.rendered())
        .containsOnlyKeys("sql", "parameter 1", "parameter 2", "parameter 3")
        .containsEntry("parameter 1", "2025-03-01")
        .containsEntry("parameter 2", "5")
        .containsEntry("parameter 3", "2025-03-01");
    assertThat(ran.rendered().get("sql")).contains("values (?, 'us', 7);");
  }

  @Test
  void should_bind_named_parameters_in_every_statement_that_uses_them() throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask(
            """
            sql('t') {
                conn 'db'
                statement '''
                    insert into sales (sold_on, region, amount) values (:day, :region, 1);
                    insert into sales (sold_on, region, amount) values (:day, 'x:y', 2);
                    select count(*) as n from sales where sold_on = :day and region = :region
                '''
                parameters(day: '{{ ds }}', region: 'eu')
            }
            """);

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(lowerKeys(ran.result()).toString()).isEqualTo("[{n=1}]");
    assertThat(rows("db", "select region from sales order by amount"))
        .containsExactly(List.of("eu"), List.of("x:y"));
    // Each marker binds its value: :day, used by three statements, is one field.
    assertThat(ran.rendered())
        .containsOnlyKeys("sql", "parameter day", "parameter region")
        .containsEntry("parameter day", "2025-03-01");
  }

  @Test
  void should_run_a_sql_file_next_to_the_script_rendering_its_templates() throws Exception {
    harness.write(
        "sql/load.sql",
        """
        -- loads one day; a ; in a comment does not split
        insert into sales (sold_on, region, amount) values ('{{ ds }}', 'a;b', 3);
        /* a block comment; with a ? and :name */
        insert into sales (sold_on, region, amount) values ('{{ ds }}', 'it''s', 4);
        """);

    OperatorHarness.Ran ran = harness.runTask("sql('t') { conn 'db'; file('sql/load.sql') }");

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(rows("db", "select region, sold_on from sales order by amount"))
        .containsExactly(List.of("a;b", "2025-03-01"), List.of("it's", "2025-03-01"));
    // No query: the result is the last statement's update count.
    assertThat(ran.result()).isEqualTo(1);
    assertThat(ran.rendered().get("sql"))
        .contains("values ('2025-03-01', 'a;b', 3);")
        .contains("values ('2025-03-01', 'it''s', 4);")
        .doesNotContain("{{");
  }

  @Test
  void should_keep_at_most_max_rows_of_the_result() throws Exception {
    for (int i = 0; i < 5; i++) {
      execute(
          "db",
          "insert into sales (sold_on, region, amount) values (DATE '2025-03-01', 'r"
              + i
              + "', "
              + i
              + ")");
    }

    OperatorHarness.Ran ran =
        harness.runTask(
            "sql('t') { conn 'db'; statement 'select amount from sales order by amount'; maxRows 3 }");

    assertThat(ran.outcome().state()).as(ran.log()).isEqualTo(TaskState.SUCCESS);
    assertThat((List<?>) ran.result()).hasSize(3);
    assertThat(ran.log()).contains("more than 3 rows");
  }

  @Test
  void should_roll_back_every_statement_when_one_fails_and_say_which() throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask(
            """
            sql('t') {
                conn 'db'
                statement '''
                    insert into sales (sold_on, region, amount) values (DATE '2025-03-01', 'eu', 1);
                    insert into no_such_table values (1)
                '''
            }
            """);

    assertThat(ran.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(ran.outcome().error())
        .startsWith("statement 2 of 2 (line 3 of statement) failed: ")
        .containsIgnoringCase("no_such_table")
        .endsWith("; the transaction was rolled back");
    assertThat(rows("db", "select * from sales")).isEmpty();
  }

  @Test
  void should_fail_clearly_when_parameters_do_not_match_the_markers() throws Exception {
    OperatorHarness.Ran ran =
        harness.runTask(
            "sql('t') { conn 'db'; statement 'select * from sales where region = ? and amount = ?';"
                + " parameters(['eu']) }");

    assertThat(ran.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(ran.outcome().error())
        .isEqualTo("the SQL has 2 ? marker(s) but 1 positional parameter(s) were given");
  }

  @Test
  void should_copy_rows_in_batches_after_pre_sql_in_one_target_transaction() throws Exception {
    execute("db2", "CREATE TABLE sales_copy (sold_on DATE, region VARCHAR(10), amount INT)");
    execute("db2", "INSERT INTO sales_copy VALUES (DATE '2025-03-01', 'old', 0)");
    execute("db2", "INSERT INTO sales_copy VALUES (DATE '2025-02-28', 'keep', 0)");
    execute(
        "db",
        "INSERT INTO sales (sold_on, region, amount) SELECT DATE '2025-03-01', 'r', x FROM "
            + series(2500));
    String task =
        """
        sqlToSql('t') {
            source 'db'
            query 'select sold_on, region, amount from sales where sold_on = :day'
            parameters(day: '{{ ds }}')
            target 'db2'
            table 'sales_copy'
            batchSize 1000
            preSql "delete from sales_copy where sold_on = '{{ ds }}'"
        }
        """;

    OperatorHarness.Ran first = harness.runTask(task);
    OperatorHarness.Ran again = harness.runTask(task);

    assertThat(first.outcome().state()).as(first.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(first.result()).isEqualTo(2500);
    assertThat(again.result()).isEqualTo(2500);
    assertThat(
            rows(
                "db2",
                "select count(*), sum(amount) from sales_copy where sold_on = DATE '2025-03-01'"))
        .containsExactly(List.of("2500", String.valueOf(2500L * 2501 / 2)));
    assertThat(rows("db2", "select region from sales_copy where sold_on = DATE '2025-02-28'"))
        .containsExactly(List.of("keep"));
    assertThat(first.rendered())
        .containsExactly(
            Map.entry("query", "select sold_on, region, amount from sales where sold_on = :day"),
            Map.entry("parameter day", "2025-03-01"),
            Map.entry("preSql", "delete from sales_copy where sold_on = '2025-03-01'"));
  }

  @Test
  void should_leave_the_target_as_it_was_when_an_insert_fails() throws Exception {
    execute(
        "db2", "CREATE TABLE sales_copy (sold_on DATE, region VARCHAR(2) NOT NULL, amount INT)");
    execute("db2", "INSERT INTO sales_copy VALUES (DATE '2025-03-01', 'ok', 0)");
    execute("db", "INSERT INTO sales VALUES (DATE '2025-03-01', 'eu', 1)");
    execute("db", "INSERT INTO sales VALUES (DATE '2025-03-01', NULL, 2)");

    OperatorHarness.Ran ran =
        harness.runTask(
            """
            sqlToSql('t') {
                source 'db'; query 'select sold_on, region, amount from sales order by amount'
                target 'db2'; table 'sales_copy'; batchSize 1
                preSql 'delete from sales_copy'
            }
            """);

    assertThat(ran.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(ran.outcome().error())
        .startsWith("inserting rows 2 to 2 failed: ")
        .endsWith("; the target was rolled back, nothing was copied");
    assertThat(rows("db2", "select region from sales_copy")).containsExactly(List.of("ok"));
  }

  /** A FROM clause of n rows with one column x = 1..n. */
  abstract String series(int n);

  @SuppressWarnings("unchecked")
  static Object lowerKeys(Object rows) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (Map<String, Object> row : (List<Map<String, Object>>) rows) {
      Map<String, Object> lower = new java.util.LinkedHashMap<>();
      row.forEach(
          (k, v) ->
              lower.put(
                  k.toLowerCase(java.util.Locale.ROOT), v instanceof Number n ? n.intValue() : v));
      result.add(lower);
    }
    return result;
  }
}
