package dev.weir.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.WorkerRow;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} of a web server without a scheduler, checked against openapi.json. */
class HealthTest {
  @TempDir Path temp;
  WebFixture web;

  @BeforeEach
  void start() {
    web = new WebFixture(temp).start();
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private JsonNode health(int expectedStatus) throws Exception {
    HttpResponse<String> response = web.anonymousApi().get("/api/v1/health");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return WebServer.JSON.readTree(response.body());
  }

  @Test
  void should_say_no_scheduler_runs_yet_answer_200_as_a_webserver_may_run_alone() throws Exception {
    JsonNode health = health(200);

    assertThat(health.get("status").asText()).isEqualTo("unhealthy");
    assertThat(health.get("metadatabase").get("status").asText()).isEqualTo("healthy");
    assertThat(health.get("scheduler").get("status").asText()).isEqualTo("unhealthy");
    assertThat(health.get("scheduler").get("latest_heartbeat").isNull()).isTrue();
    assertThat(health.get("workers")).isEmpty();
    assertThat(health.get("reasons"))
        .extracting(JsonNode::asText)
        .containsExactly("no scheduler runs: none holds the metadata database's lease");
  }

  @Test
  void should_name_a_worker_whose_heartbeat_stopped() throws Exception {
    Instant old = web.clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    web.store.saveWorker(new WorkerRow("w-gone", "host-b", 4242, 8, 1, old, old));

    JsonNode health = health(200);

    JsonNode worker = health.get("workers").get(0);
    assertThat(worker.get("id").asText()).isEqualTo("w-gone");
    assertThat(worker.get("hostname").asText()).isEqualTo("host-b");
    assertThat(worker.get("slots").asInt()).isEqualTo(8);
    assertThat(worker.get("running").asInt()).isEqualTo(1);
    assertThat(Instant.parse(worker.get("latest_heartbeat").asText())).isEqualTo(old);
    assertThat(worker.get("status").asText()).isEqualTo("unhealthy");
    assertThat(worker.get("reason").asText())
        .isEqualTo(
            "worker w-gone (pid 4242 on host-b) last beat its heart at "
                + old
                + ", more than 15 s ago");
    assertThat(health.get("reasons"))
        .extracting(JsonNode::asText)
        .contains(worker.get("reason").asText());
    assertThat(health.get("status").asText()).isEqualTo("unhealthy");
  }

  @Test
  void should_answer_503_when_the_metadata_database_is_closed() throws Exception {
    web.database.close();

    JsonNode health = health(503);
    HttpResponse<String> plain = web.anonymous().get("/health");

    assertThat(health.get("status").asText()).isEqualTo("unhealthy");
    assertThat(health.get("metadatabase").get("status").asText()).isEqualTo("unhealthy");
    assertThat(health.get("metadatabase").get("reason").asText())
        .startsWith("the metadata database does not answer: ");
    assertThat(health.get("reasons")).hasSize(1);
    assertThat(plain.statusCode()).isEqualTo(503);
  }
}
