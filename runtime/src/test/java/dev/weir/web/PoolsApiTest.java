package dev.weir.web;

import static dev.weir.web.RunsApiTest.assertRefused;
import static dev.weir.web.RunsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.PoolRow;
import dev.weir.users.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolsApiTest {
  @TempDir Path temp;
  WebFixture web;
  ApiClient op;

  @BeforeEach
  void start() {
    web = new WebFixture(temp).start();
    op = web.api(Role.OP);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private PoolRow pool(String name) {
    return web.store.pools().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  @Test
  void should_create_change_list_and_delete_pools() {
    HttpResponse<String> created =
        op.post("/api/v1/pools", "{\"name\": \"gpu\", \"slots\": 2, \"description\": \"GPUs\"}");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(json(created).get("occupied_slots").asInt()).isZero();
    JsonNode list = json(web.api(Role.VIEWER).get("/api/v1/pools"));
    assertThat(list.get("pools").findValuesAsText("name")).contains("gpu", PoolRow.DEFAULT);

    op.patch("/api/v1/pools/gpu", "{\"slots\": 4}");
    assertThat(pool("gpu").slots()).isEqualTo(4);
    assertThat(pool("gpu").description()).isEqualTo("GPUs");
    assertThat(json(op.get("/api/v1/pools/gpu")).get("slots").asInt()).isEqualTo(4);

    assertThat(op.delete("/api/v1/pools/gpu").statusCode()).isEqualTo(204);
    assertThat(pool("gpu")).isNull();
  }

  @Test
  void should_refuse_bad_pool_writes_and_change_nothing() {
    op.post("/api/v1/pools", "{\"name\": \"gpu\", \"slots\": 2}");
    ApiClient user = web.api(Role.USER);

    assertRefused(op.post("/api/v1/pools", "{\"name\": \"gpu\", \"slots\": 1}"), 409, "'gpu'");
    assertRefused(op.post("/api/v1/pools", "{\"name\": \"cpu\", \"slots\": -1}"), 400, "'slots'");
    assertRefused(op.post("/api/v1/pools", "{\"name\": \"cpu\"}"), 400, "'slots'");
    assertRefused(op.patch("/api/v1/pools/gpu", "{\"slots\": 1.5}"), 400, "'slots'");
    assertRefused(op.patch("/api/v1/pools/nope", "{\"slots\": 1}"), 404, "'nope'");
    assertRefused(op.delete("/api/v1/pools/" + PoolRow.DEFAULT), 400, "cannot be deleted");
    assertRefused(op.delete("/api/v1/pools/nope"), 404, "'nope'");
    assertRefused(op.get("/api/v1/pools/nope"), 404, "'nope'");
    assertRefused(user.post("/api/v1/pools", "{}"), 403, "needs Op");
    assertRefused(web.anonymousApi().get("/api/v1/pools"), 401, "log in");

    assertThat(pool("gpu").slots()).isEqualTo(2);
    assertThat(pool("cpu")).isNull();
    assertThat(pool(PoolRow.DEFAULT)).isNotNull();
  }
}
