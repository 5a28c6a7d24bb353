package dev.weir.web;

import static dev.weir.web.RunsApiTest.assertRefused;
import static dev.weir.web.RunsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Connection;
import dev.weir.users.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsApiTest {
  @TempDir Path temp;
  WebFixture web;
  ApiClient op;
  ApiClient user;

  @BeforeEach
  void start() {
    web = new WebFixture(temp).start();
    op = web.api(Role.OP);
    user = web.api(Role.USER);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  @Test
  void should_write_variables_and_never_read_back_a_secret() {
    HttpResponse<String> plain =
        op.post("/api/v1/variables", "{\"key\": \"region\", \"value\": \"eu\"}");
    HttpResponse<String> secret =
        op.post(
            "/api/v1/variables",
            "{\"key\": \"api_password\", \"value\": \"hunter22\", \"description\": \"the API\"}");

    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    assertThat(json(plain).get("value").asText()).isEqualTo("eu");
    assertThat(secret.body()).doesNotContain("hunter22");
    assertThat(json(secret).get("value").asText()).isEqualTo("***");
    assertThat(json(secret).get("is_encrypted").asBoolean()).isTrue();
    assertThat(web.secrets.variable("api_password")).hasValue("hunter22");

    HttpResponse<String> list = user.get("/api/v1/variables");
    assertThat(list.body()).doesNotContain("hunter22");
    assertThat(json(list).get("total_entries").asInt()).isEqualTo(2);
    assertThat(user.get("/api/v1/variables/api_password").body()).doesNotContain("hunter22");

    // A new description keeps the secret value.
    HttpResponse<String> described =
        op.patch("/api/v1/variables/api_password", "{\"description\": \"rotated\"}");
    assertThat(json(described).get("description").asText()).isEqualTo("rotated");
    assertThat(web.secrets.variable("api_password")).hasValue("hunter22");
    op.patch("/api/v1/variables/region", "{\"value\": \"us\"}");
    assertThat(web.secrets.variable("region")).hasValue("us");

    assertThat(op.delete("/api/v1/variables/region").statusCode()).isEqualTo(204);
    assertThat(web.secrets.variable("region")).isEmpty();
  }

  @Test
  void should_refuse_bad_variable_writes_and_change_nothing() {
    op.post("/api/v1/variables", "{\"key\": \"region\", \"value\": \"eu\"}");

    assertRefused(
        op.post("/api/v1/variables", "{\"key\": \"region\", \"value\": \"us\"}"), 409, "'region'");
    assertRefused(
        op.post("/api/v1/variables", "{\"key\": \"two words\", \"value\": \"x\"}"), 400, "space");
    assertRefused(op.post("/api/v1/variables", "{\"key\": \"k\"}"), 400, "'value'");
    assertRefused(op.post("/api/v1/variables", "{\"key\": \"k\", \"value\": 3}"), 400, "'value'");
    assertRefused(
        op.patch("/api/v1/variables/region", "{\"key\": \"other\", \"value\": \"x\"}"),
        400,
        "'other'");
    assertRefused(op.patch("/api/v1/variables/nope", "{\"value\": \"x\"}"), 404, "'nope'");
    assertRefused(op.delete("/api/v1/variables/nope"), 404, "'nope'");
    assertRefused(op.get("/api/v1/variables/nope"), 404, "'nope'");
    assertRefused(user.post("/api/v1/variables", "{}"), 403, "needs Op");
    assertRefused(user.patch("/api/v1/variables/region", "{}"), 403, "needs Op");
    assertRefused(user.delete("/api/v1/variables/region"), 403, "needs Op");
    assertRefused(web.anonymousApi().get("/api/v1/variables"), 401, "log in");
    assertRefused(op.get("/api/v1/variables?limit=5000"), 400, "'limit'");

    assertThat(web.secrets.variable("region")).hasValue("eu");
    assertThat(web.secrets.variables()).hasSize(1);
  }

  @Test
  void should_write_connections_and_never_read_back_password_or_extra() {
    HttpResponse<String> created =
        op.post(
            "/api/v1/connections",
            "{\"connection_id\": \"warehouse\", \"conn_type\": \"postgres\", \"host\": \"db\","
                + " \"port\": 5432, \"login\": \"etl\", \"password\": \"s3cret-pw\","
                + " \"extra\": {\"sslmode\": \"require-this\"}}");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(created.body()).doesNotContain("s3cret-pw").doesNotContain("require-this");
    assertThat(json(created).get("has_password").asBoolean()).isTrue();
    assertThat(json(created).get("has_extra").asBoolean()).isTrue();
    HttpResponse<String> list = user.get("/api/v1/connections");
    assertThat(list.body()).doesNotContain("s3cret-pw").doesNotContain("require-this");
    assertThat(json(list).get("connections").get(0).get("port").asInt()).isEqualTo(5432);

    HttpResponse<String> moved =
        op.patch("/api/v1/connections/warehouse", "{\"host\": \"db2\", \"description\": \"new\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    Connection stored = web.secrets.connection("warehouse").orElseThrow();
    assertThat(stored.host()).isEqualTo("db2");
    assertThat(stored.password()).isEqualTo("s3cret-pw");
    assertThat(stored.extra()).containsEntry("sslmode", "require-this");
    assertThat(json(user.get("/api/v1/connections/warehouse")).get("description").asText())
        .isEqualTo("new");

    op.patch("/api/v1/connections/warehouse", "{\"password\": null}");
    assertThat(web.secrets.connection("warehouse").orElseThrow().password()).isNull();

    assertThat(op.delete("/api/v1/connections/warehouse").statusCode()).isEqualTo(204);
    assertThat(web.secrets.connections()).isEmpty();
  }

  @Test
  void should_refuse_bad_connection_writes_and_change_nothing() {
    op.post(
        "/api/v1/connections",
        "{\"connection_id\": \"warehouse\", \"conn_type\": \"postgres\", \"password\": \"pw\"}");

    assertRefused(
        op.post("/api/v1/connections", "{\"connection_id\": \"warehouse\", \"conn_type\": \"x\"}"),
        409,
        "'warehouse'");
    assertRefused(
        op.post("/api/v1/connections", "{\"connection_id\": \"a b\", \"conn_type\": \"x\"}"),
        400,
        "space");
    assertRefused(op.post("/api/v1/connections", "{\"connection_id\": \"c\"}"), 400, "'conn_type'");
    assertRefused(
        op.post(
            "/api/v1/connections",
            "{\"connection_id\": \"c\", \"conn_type\": \"x\", \"port\": 99999}"),
        400,
        "'port'");
    assertRefused(
        op.post(
            "/api/v1/connections",
            "{\"connection_id\": \"c\", \"conn_type\": \"x\", \"extra\": \"{nope\"}"),
        400,
        "'extra'");
    assertRefused(op.patch("/api/v1/connections/warehouse", "{\"port\": \"high\"}"), 400, "'port'");
    assertRefused(op.patch("/api/v1/connections/nope", "{}"), 404, "'nope'");
    assertRefused(op.delete("/api/v1/connections/nope"), 404, "'nope'");
    assertRefused(user.get("/api/v1/connections/nope"), 404, "'nope'");
    assertRefused(user.post("/api/v1/connections", "{}"), 403, "needs Op");
    assertRefused(user.delete("/api/v1/connections/warehouse"), 403, "needs Op");
    assertRefused(web.anonymousApi().get("/api/v1/connections"), 401, "log in");

    assertThat(web.secrets.connections()).hasSize(1);
    assertThat(web.secrets.connection("warehouse").orElseThrow().password()).isEqualTo("pw");
  }
}
