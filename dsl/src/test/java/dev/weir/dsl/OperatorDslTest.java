package dev.weir.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.DagSpec;
import dev.weir.model.TaskAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator keywords build their actions, and mistakes name the task and the field. */
class OperatorDslTest {
  @TempDir Path dags;
  private final DagScriptCompiler compiler = new DagScriptCompiler();

  private DagSpec load(String body) throws Exception {
    String source = "dag('d') {\n" + body + "\n}\n";
    Path script = Files.writeString(dags.resolve("d.groovy"), source);
    return compiler
        .evaluate(
            compiler.compile(
                "dags/d.groovy",
                source,
                getClass().getClassLoader(),
                new ScriptLocation(script, dags)))
        .get(0);
  }

  private String problem(String body) {
    try {
      load(body);
    } catch (DagDefinitionException e) {
      return e.problem();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the script to be rejected");
  }

  @Test
  void should_build_each_operator_action_from_its_block() throws Exception {
    Files.createDirectories(dags.resolve("sql"));
    Files.writeString(dags.resolve("sql/q.sql"), "select 1");
    Files.writeString(dags.resolve("train.py"), "print(1)");
    DagSpec dag =
        load(
            """
            sql('s') { conn 'db'; statement file('sql/q.sql'); parameters(day: '{{ ds }}'); maxRows 5 }
            sqlToSql('c', batchSize: 10) { source 'a'; query 'select 1 as x'; target 'b'; table 'x.t' }
            http('h') { url 'http://x/{{ ds }}'; method 'post'; json([a: [1, '{{ ds }}']]); expectStatus([200, 202]); timeout 5.seconds }
            python('p') { script 'train.py'; args '--day', '{{ ds }}'; venv '/opt/v' }
            email('e') { conn 'smtp'; to 'a@x.org', 'b@x.org'; subject 'hi {{ ds }}' }
            """);

    TaskAction.Sql sql = (TaskAction.Sql) dag.tasks().get("s").action();
    assertThat(sql.sql().file()).isEqualTo(dags.resolve("sql/q.sql"));
    assertThat(sql.sql().namedParameters()).isEqualTo(Map.of("day", "{{ ds }}"));
    assertThat(sql.maxRows()).isEqualTo(5);
    TaskAction.SqlToSql copy = (TaskAction.SqlToSql) dag.tasks().get("c").action();
    assertThat(copy.batchSize()).isEqualTo(10);
    assertThat(copy.table()).isEqualTo("x.t");
    TaskAction.Http http = (TaskAction.Http) dag.tasks().get("h").action();
    assertThat(http.method()).isEqualTo("POST");
    assertThat(http.json()).isEqualTo(Map.of("a", List.of(1, "{{ ds }}")));
    assertThat(http.expectStatus()).containsExactly(200, 202);
    assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(5));
    TaskAction.Python python = (TaskAction.Python) dag.tasks().get("p").action();
    assertThat(python.script()).isEqualTo(dags.resolve("train.py").toString());
    assertThat(python.interpreter()).isEqualTo("/opt/v/bin/python");
    assertThat(python.args()).containsExactly("--day", "{{ ds }}");
    assertThat(python.pythonPath()).isEqualTo(dags.toString());
    TaskAction.Email email = (TaskAction.Email) dag.tasks().get("e").action();
    assertThat(email.to()).containsExactly("a@x.org", "b@x.org");
  }

  @Test
  void should_name_the_task_and_field_of_a_mistake() {
    assertThat(problem("sql('s') { statement 'select 1' }"))
        .isEqualTo("sql task 's' has no conn; add conn 'warehouse' to its block");
    assertThat(problem("sql('s') { conn 'db'; file('missing.sql') }"))
        .startsWith("SQL file 'missing.sql' not found (looked for " + dags.resolve("missing.sql"));
    assertThat(problem("sql('s') { conn 'db'; statement 'select {{ ds | nope }}' }"))
        .startsWith("sql task 's': template in statement: ");
    assertThat(problem("sqlToSql('c') { source 'a'; query 'select 1'; target 'b' }"))
        .isEqualTo("sqlToSql task 'c' has no table; add table 'sales' to its block");
    assertThat(problem("http('h') { method 'GET' }"))
        .isEqualTo(
            "http task 'h' needs either conn 'api' (a connection with the base URL) or url"
                + " 'https://…', and has neither");
    assertThat(problem("http('h') { url 'http://x'; responseAs 'jsn' }"))
        .isEqualTo(
            "responseAs takes one of auto, json, text, none, got 'jsn'; did you mean 'json'?");
    assertThat(problem("http('h') { url 'http://x'; expectStatus 700 }"))
        .isEqualTo("expectStatus: 700 is not an HTTP status code");
    assertThat(problem("python('p') { script 'nope.py' }"))
        .startsWith("python task 'p': script 'nope.py' not found (looked for ");
    assertThat(problem("python('p') { module 'm'; interpreter 'python3'; venv '/v' }"))
        .isEqualTo("python task 'p' takes interpreter or venv, not both");
    assertThat(problem("email('e') { conn 'smtp'; subject 'x' }"))
        .isEqualTo("email task 'e' has no recipient; add to 'someone@example.org'");
    assertThat(problem("operator('o', 'slack', channel: '#x')"))
        .startsWith("operator task 'o': unknown operator plugin 'slack' (no plugins are installed");
    assertThat(problem("sql('s') { conn 'db'; statment 'x' }"))
        .contains("unknown keyword 'statment' in sql task 's'; did you mean 'statement'?");
  }
}
