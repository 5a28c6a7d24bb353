package dev.weir.web;

import static dev.weir.web.RunsApiTest.assertRefused;
import static dev.weir.web.RunsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.users.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagsApiTest {
  @TempDir Path temp;
  WebFixture web;
  ApiClient viewer;

  @BeforeEach
  void start() {
    web =
        new WebFixture(temp)
            .dag(
                "etl.groovy",
                RunsApiTest.ETL.replace(
                    "schedule none()",
                    "schedule none()\n"
                        + "    tags 'sales', 'etl'\n    doc '# ETL'\n    defaults { owner 'data-team' }"))
            .dag("report.groovy", "dag('report') { tags 'finance'; task('send') { ctx -> } }")
            .dag("broken.groovy", "dag('broken') { task('a') { ctx -> }\n")
            .start();
    viewer = web.api(Role.VIEWER);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void should_list_dags_with_filters_and_pages() {
    JsonNode all = json(viewer.get("/api/v1/dags"));
    JsonNode sales = json(viewer.get("/api/v1/dags?tags=sales&tags=none"));
    JsonNode pattern = json(viewer.get("/api/v1/dags?dag_id_pattern=rep"));
    JsonNode page = json(viewer.get("/api/v1/dags?limit=1&offset=1"));

    assertThat(all.get("total_entries").asInt()).isEqualTo(2);
    JsonNode etl = all.get("dags").get(0);
    assertThat(etl.get("dag_id").asText()).isEqualTo("etl");
    assertThat(etl.get("description").asText()).isEqualTo("Extract and load");
    assertThat(etl.get("is_active").asBoolean()).isTrue();
    assertThat(etl.get("file").asText()).endsWith("etl.groovy");
    assertThat(etl.get("owners").get(0).asText()).isEqualTo("data-team");
    assertThat(sales.get("dags").findValuesAsText("dag_id")).containsExactly("etl");
    assertThat(pattern.get("dags").findValuesAsText("dag_id")).containsExactly("report");
    assertThat(page.get("dags").findValuesAsText("dag_id")).containsExactly("report");
    assertThat(page.get("total_entries").asInt()).isEqualTo(2);
    assertRefused(viewer.get("/api/v1/dags?paused=maybe"), 400, "'paused'");
    assertRefused(viewer.get("/api/v1/dags?limit=-1"), 400, "'limit'");
    assertRefused(web.anonymousApi().get("/api/v1/dags"), 401, "log in");
  }

  @Test
  void should_show_one_dag_with_params_and_its_tasks() {
    JsonNode dag = json(viewer.get("/api/v1/dags/etl"));
    JsonNode tasks = json(viewer.get("/api/v1/dags/etl/tasks"));

    assertThat(dag.get("params").get("region").get("default").asText()).isEqualTo("eu");
    assertThat(dag.get("doc_md").asText()).contains("# ETL");
    assertThat(dag.get("tasks").asInt()).isEqualTo(3);
    assertThat(tasks.get("tasks").findValuesAsText("task_id"))
        .containsExactly("extract", "load", "report");
    JsonNode load = tasks.get("tasks").get(1);
    assertThat(load.get("upstream_task_ids").get(0).asText()).isEqualTo("extract");
    assertThat(load.get("downstream_task_ids").get(0).asText()).isEqualTo("report");
    assertThat(load.get("trigger_rule").asText()).isEqualTo("all_success");
    assertRefused(viewer.get("/api/v1/dags/elt"), 404, "'elt' not found; did you mean 'etl'?");
    assertRefused(viewer.get("/api/v1/dags/elt/tasks"), 404, "'elt'");
  }

  @Test
  void should_pause_and_unpause_for_a_user_only() {
    ApiClient user = web.api(Role.USER);

    HttpResponse<String> paused = user.patch("/api/v1/dags/etl", "{\"is_paused\": true}");

    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    assertThat(json(paused).get("is_paused").asBoolean()).isTrue();
    assertThat(web.store.dag("etl").orElseThrow().paused()).isTrue();
    assertThat(json(viewer.get("/api/v1/dags?paused=true")).get("dags").findValuesAsText("dag_id"))
        .contains("etl");

    assertRefused(viewer.patch("/api/v1/dags/etl", "{\"is_paused\": false}"), 403, "needs User");
    assertRefused(user.patch("/api/v1/dags/etl", "{\"is_paused\": \"no\"}"), 400, "'is_paused'");
    assertRefused(user.patch("/api/v1/dags/etl", "{\"paused\": false}"), 400, "paused");
    assertRefused(user.patch("/api/v1/dags/etl", "{"), 400, "not valid JSON");
    assertRefused(user.patch("/api/v1/dags/elt", "{\"is_paused\": false}"), 404, "'elt'");
    assertThat(web.store.dag("etl").orElseThrow().paused()).isTrue();

    user.patch("/api/v1/dags/etl", "{\"is_paused\": false}");
    assertThat(web.store.dag("etl").orElseThrow().paused()).isFalse();
    assertThat(json(viewer.get("/api/v1/dags?paused=false")).get("dags").findValuesAsText("dag_id"))
        .contains("etl");
    assertThat(json(viewer.get("/api/v1/dags?paused=true")).get("dags").findValuesAsText("dag_id"))
        .doesNotContain("etl");
  }

  @Test
  void should_list_import_errors_and_flag_nothing_else() {
    JsonNode errors = json(viewer.get("/api/v1/importErrors"));

    assertThat(errors.get("import_errors")).hasSize(1);
    assertThat(errors.get("import_errors").get(0).get("filename").asText())
        .endsWith("broken.groovy");
    assertThat(errors.get("import_errors").get(0).get("message").asText()).isNotEmpty();
    assertRefused(web.anonymousApi().get("/api/v1/importErrors"), 401, "log in");
  }

  @Test
  void should_answer_the_version() {
    JsonNode version = json(viewer.get("/api/v1/version"));

    assertThat(version.get("version").asText()).isNotEmpty();
  }
}
