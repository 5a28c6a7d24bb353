package dev.weir.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.TaskState;
import dev.weir.testing.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL operators on a real, embedded PostgreSQL: one server per class, databases per test. */
class PostgresSqlOperatorsTest extends SqlOperatorsContractTest {
  private static final AtomicInteger databases = new AtomicInteger();
  private static TestPostgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  void addConnections(OperatorHarness harness) throws Exception {
    for (String id : new String[] {"db", "db2"}) {
      String name = postgres.newDatabase("ops_");
      harness.connection(
          id, "postgres", "localhost", postgres.port(), name, "postgres", null, Map.of());
    }
  }

  @Override
  String series(int n) {
    return "generate_series(1, " + n + ") AS x";
  }

  @Test
  void should_copy_from_postgres_into_h2_and_keep_dollar_quotes_and_casts_whole() throws Exception {
    harness.connection(
        "h2",
        "h2",
        null,
        null,
        "mem:pg_copy_" + databases.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
        "sa",
        "",
        Map.of());
    execute("h2", "CREATE TABLE totals (region VARCHAR(10), total BIGINT)");

    OperatorHarness.Ran load =
        harness.runTask(
            """
            sql('t') {
                conn 'db'
                statement '''
                    insert into sales values (:day, $$a;b$$, '7'::int);
                    insert into sales values (:day::date + 1, 'eu', 3);
                    select count(*)::int as n from sales
                '''
                parameters(day: '{{ ds }}')
            }
            """);
    assertThat(load.outcome().state()).as(load.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(load.result().toString()).isEqualTo("[{n=2}]");

    OperatorHarness.Ran copy =
        harness.runTask(
            """
            sqlToSql('t') {
                source 'db'; query 'select region, sum(amount) as total from sales group by region'
                target 'h2'; table 'totals'
            }
            """);
    assertThat(copy.outcome().state()).as(copy.log()).isEqualTo(TaskState.SUCCESS);
    assertThat(rows("h2", "select region, total from totals order by region"))
        .containsExactly(List.of("a;b", "7"), List.of("eu", "3"));
  }
}
