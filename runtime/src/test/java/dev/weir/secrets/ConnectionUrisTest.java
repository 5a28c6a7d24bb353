package dev.weir.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.model.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionUrisTest {

  @Test
  void should_parse_an_airflow_style_uri() {
    Connection c =
        ConnectionUris.parse("mydb", "postgres://user:p%40ss@host:5432/db?sslmode=require");

    assertThat(c)
        .isEqualTo(
            new Connection(
                "mydb",
                "postgres",
                "host",
                5432,
                "db",
                "user",
                "p@ss",
                Map.of("sslmode", "require")));
  }

  @Test
  void should_decode_every_part_and_keep_a_plus_outside_the_query() {
    Connection c =
        ConnectionUris.parseUri(
            "x",
            "mysql://me%2Bus:a+b%3Ac%2Fd%20e%25@db.example.com:3306/sales%20db"
                + "?charset=utf8&init=SET+NAMES%3Dx&empty=");

    assertThat(c.login()).isEqualTo("me+us");
    assertThat(c.password()).isEqualTo("a+b:c/d e%");
    assertThat(c.host()).isEqualTo("db.example.com");
    assertThat(c.schema()).isEqualTo("sales db");
    assertThat(c.extra())
        .containsExactly(
            Map.entry("charset", "utf8"), Map.entry("init", "SET NAMES=x"), Map.entry("empty", ""));
  }

  @Test
  void should_read_a_password_with_unencoded_colon_slash_and_at() {
    Connection c = ConnectionUris.parseUri("x", "postgres://u:a:b/c@d@host/db");

    assertThat(c.login()).isEqualTo("u");
    assertThat(c.password()).isEqualTo("a:b/c@d");
    assertThat(c.host()).isEqualTo("host");
    assertThat(c.schema()).isEqualTo("db");
  }

  @Test
  void should_take_the_optional_parts_as_absent() {
    assertThat(ConnectionUris.parseUri("x", "http://example.com"))
        .isEqualTo(new Connection("x", "http", "example.com", null, null, null, null, null));
    assertThat(ConnectionUris.parseUri("x", "smtp://bob@mail:25"))
        .isEqualTo(new Connection("x", "smtp", "mail", 25, null, "bob", null, null));
    assertThat(ConnectionUris.parseUri("x", "aws://:s3cret@"))
        .isEqualTo(new Connection("x", "aws", null, null, null, null, "s3cret", null));
    assertThat(ConnectionUris.parseUri("x", "h2:///tmp/x.db").schema()).isEqualTo("tmp/x.db");
  }

  @Test
  void should_read_ipv6_hosts_repeated_keys_and_airflow_type_rules() {
    Connection ipv6 = ConnectionUris.parseUri("x", "postgresql://[::1]:5433/db?opt=a&opt=b");

    assertThat(ipv6.type()).isEqualTo("postgres");
    assertThat(ipv6.host()).isEqualTo("[::1]");
    assertThat(ipv6.port()).isEqualTo(5433);
    assertThat(ipv6.extra()).containsExactly(Map.entry("opt", List.of("a", "b")));
    assertThat(ConnectionUris.parseUri("x", "google-cloud-platform://").type())
        .isEqualTo("google_cloud_platform");
  }

  @Test
  void should_take_a_json_extra_from_the_extra_parameter() {
    Connection c =
        ConnectionUris.parseUri(
            "x",
            "http://api?__extra__=%7B%22timeout%22%3A%2030%2C%20%22headers%22%3A%20%7B%22a%22%3A%201%7D%7D");

    assertThat(c.extra())
        .containsExactly(Map.entry("timeout", 30), Map.entry("headers", Map.of("a", 1)));
  }

  @Test
  void should_parse_the_json_form() {
    Connection c =
        ConnectionUris.parse(
            "mydb",
            " {\"conn_type\": \"postgres\", \"host\": \"h\", \"port\": 5432, \"login\": \"u\","
                + " \"password\": \"p@ss\", \"schema\": \"db\", \"extra\": {\"sslmode\": \"require\"}}");

    assertThat(c)
        .isEqualTo(
            new Connection(
                "mydb", "postgres", "h", 5432, "db", "u", "p@ss", Map.of("sslmode", "require")));
    assertThat(
            ConnectionUris.parseJson(
                    "x", "{\"type\": \"http\", \"port\": \"80\", \"extra\": \"{\\\"a\\\": true}\"}")
                .extra())
        .containsExactly(Map.entry("a", true));
  }

  @Test
  void should_say_what_is_wrong_without_quoting_the_password() {
    assertThatThrownBy(() -> ConnectionUris.parseUri("x", "user:hunter22@host"))
        .hasMessageStartingWith("is not a connection URI TYPE://")
        .hasMessageNotContaining("hunter22");
    assertThatThrownBy(() -> ConnectionUris.parseUri("x", "pg://u:hunter22@host:54x2/db"))
        .hasMessage("has port '54x2', which is not a number");
    assertThatThrownBy(() -> ConnectionUris.parseUri("x", "pg://u:hunter22@host:70000"))
        .hasMessage("has port 70000; a port is 1 to 65535");
    assertThatThrownBy(() -> ConnectionUris.parseUri("x", "pg://u:hunter%2@host"))
        .hasMessage("has a '%' in its password that is not followed by two hex digits");
    assertThatThrownBy(
            () -> ConnectionUris.parseJson("x", "{\"host\": \"h\", \"password\": \"hunter22\"}"))
        .hasMessage("has no conn_type");
    assertThatThrownBy(() -> ConnectionUris.parseJson("x", "{\"conn_type\": \"a\", \"pwd\": 1}"))
        .hasMessageStartingWith("has an unknown field 'pwd'");
    assertThatThrownBy(
            () ->
                ConnectionUris.parseJson("x", "{\"conn_type\": \"a\", \"password\": \"hunter22\""))
        .hasMessageStartingWith("is not a JSON object")
        .hasMessageNotContaining("hunter22");
    assertThatThrownBy(
            () -> ConnectionUris.parseJson("x", "{\"conn_type\": \"a\", \"extra\": [1]}"))
        .hasMessage("has an extra that is not a JSON object");
  }

  @Test
  void should_write_a_uri_that_reads_back_the_same() {
    Map<String, Object> extra = new java.util.LinkedHashMap<>();
    extra.put("sslmode", "require");
    extra.put("app", "a b");
    List<Connection> connections =
        List.of(
            new Connection(
                "x", "postgres", "h.example", 5432, "my db", "me@corp", "p@ss:/?#& +%", extra),
            new Connection(
                "x",
                "http",
                "[::1]",
                8080,
                null,
                null,
                null,
                Map.of("timeout", 30, "verify", false)),
            new Connection("x", "aws", null, null, null, "key", "s/3+cret", null),
            new Connection("x", "h2", null, null, "tmp/x", null, null, null));
    for (Connection c : connections) {
      assertThat(ConnectionUris.parseUri("x", ConnectionUris.toUri(c, true))).isEqualTo(c);
    }
    assertThat(ConnectionUris.toUri(connections.get(0), false))
        .isEqualTo("postgres://me%40corp:***@h.example:5432/my%20db?sslmode=require&app=a+b");
    assertThat(
            ConnectionUris.toUri(
                new Connection("x", "http", "h", null, null, null, null, Map.of("api_key", "k123")),
                false))
        .isEqualTo("http://h?api_key=***");
  }
}
