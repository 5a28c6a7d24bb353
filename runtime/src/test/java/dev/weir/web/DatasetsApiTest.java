package dev.weir.web;

import static dev.weir.web.RunsApiTest.assertRefused;
import static dev.weir.web.RunsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.Batch;
import dev.weir.store.DagRunRow;
import dev.weir.store.NewDatasetEvent;
import dev.weir.users.Role;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsApiTest {
  static final String SALES = "s3://lake/sales";

  @TempDir Path temp;
  WebFixture web;
  ApiClient viewer;

  @BeforeEach
  void start() {
    web = new WebFixture(temp).dag("etl.groovy", RunsApiTest.ETL).start();
    viewer = web.api(Role.VIEWER);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void should_list_datasets_and_their_events() {
    JsonNode run =
        json(
            web.api(Role.USER)
                .post("/api/v1/dags/etl/dagRuns", "{\"logical_date\": \"2025-03-01T00:00:00Z\"}"));
    DagRunRow row = web.store.run("etl", run.get("dag_run_id").asText()).orElseThrow();
    Instant at = Instant.parse("2025-03-01T01:00:00Z");
    web.store.saveDatasetReferences("etl", List.of(), Map.of("load", List.of(SALES)), at);
    web.store.write(
        new Batch()
            .datasetEvent(new NewDatasetEvent(SALES, "etl", row.runId(), row.id(), "load", at)));

    JsonNode datasets = json(viewer.get("/api/v1/datasets"));
    JsonNode events =
        json(viewer.get("/api/v1/datasets/events?uri=s3%3A%2F%2Flake%2Fsales&limit=5"));

    JsonNode sales = datasets.get("datasets").get(0);
    assertThat(sales.get("uri").asText()).isEqualTo(SALES);
    assertThat(sales.get("producers").get(0).get("task_id").asText()).isEqualTo("load");
    assertThat(sales.get("event_count").asInt()).isEqualTo(1);
    assertThat(sales.get("last_event_at").asText()).isEqualTo("2025-03-01T01:00:00Z");
    assertThat(events.get("dataset_events")).hasSize(1);
    assertThat(events.get("dataset_events").get(0).get("source_run_id").asText())
        .isEqualTo(row.runId());
    assertRefused(viewer.get("/api/v1/datasets/events"), 400, "'uri'");
    assertRefused(viewer.get("/api/v1/datasets/events?uri=s3://none"), 404, "'s3://none'");
    assertRefused(viewer.get("/api/v1/datasets/events?uri=x&limit=0"), 400, "'limit'");
    assertRefused(viewer.get("/api/v1/datasets?offset=x"), 400, "'offset'");
    assertRefused(web.anonymousApi().get("/api/v1/datasets"), 401, "log in");
  }
}
