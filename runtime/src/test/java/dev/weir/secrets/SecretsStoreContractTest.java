package dev.weir.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.model.Connection;
import dev.weir.secrets.SecretsStore.NewVariable;
import dev.weir.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the store of connections and variables must do, on each database Weir supports. */
abstract class SecretsStoreContractTest {
  static final byte[] KEY = new byte[32];
  static final byte[] OTHER_KEY = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      KEY[i] = (byte) (i * 3);
      OTHER_KEY[i] = (byte) (i * 5 + 1);
    }
  }

  static final Connection WAREHOUSE =
      new Connection(
          "warehouse",
          "postgres",
          "db.example.com",
          5432,
          "sales",
          "etl",
          "hunter22-pw",
          Map.of("sslmode", "require", "api_key", "ak-77777"));

  protected Database database;
  protected SecretsStore store;

  /** A fresh database with the schema migrated, for one test. */
  protected abstract Database openDatabase() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    database = openDatabase();
    store = new SecretsStore(database, new SecretCipher(MasterKey.of(KEY)));
  }

  @AfterEach
  void closeDatabase() {
    if (database != null) {
      database.close();
    }
  }

  /** Every text in the table's rows, read with plain JDBC. */
  private List<String> rawCells(String table) throws Exception {
    List<String> cells = new ArrayList<>();
    try (java.sql.Connection c = database.dataSource().getConnection();
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
      }
      c.rollback();
    }
    return cells;
  }

  @Test
  void should_add_read_list_and_delete_connections() {
    assertThat(store.addConnection(WAREHOUSE, "The warehouse")).isTrue();
    assertThat(
            store.addConnection(
                new Connection("api", "http", "api.example.com", null, null, null, null, null),
                null))
        .isTrue();

    assertThat(store.connection("warehouse")).contains(WAREHOUSE);
    assertThat(store.connection("nope")).isEmpty();
    assertThat(store.connections())
        .containsExactly(
            new ConnectionRow("api", "http", "api.example.com", null, null, null, false, false, ""),
            new ConnectionRow(
                "warehouse",
                "postgres",
                "db.example.com",
                5432,
                "sales",
                "etl",
                true,
                true,
                "The warehouse"));
    assertThat(store.connectionRow("warehouse").orElseThrow().description())
        .isEqualTo("The warehouse");

    assertThat(store.deleteConnection("api")).isTrue();
    assertThat(store.deleteConnection("api")).isFalse();
    assertThat(store.connections()).extracting(ConnectionRow::id).containsExactly("warehouse");
  }

  @Test
  void should_refuse_to_add_a_connection_twice() {
    store.addConnection(WAREHOUSE, "first");
    Connection other =
        new Connection("warehouse", "mysql", "other", null, null, null, "other-pw", null);

    assertThat(store.addConnection(other, "second")).isFalse();
    assertThat(store.connection("warehouse")).contains(WAREHOUSE);
  }

  @Test
  void should_replace_a_connection_only_when_it_exists() {
    Connection moved =
        new Connection(
            "warehouse", "postgres", "db2", 5433, null, "etl", "new-pw", Map.of("sslmode", "off"));

    assertThat(store.replaceConnection(moved, "moved")).isFalse();
    assertThat(store.connections()).isEmpty();

    store.addConnection(WAREHOUSE, "first");
    long version = store.version();
    assertThat(store.replaceConnection(moved, "moved")).isTrue();

    assertThat(store.connection("warehouse")).contains(moved);
    assertThat(store.connectionRow("warehouse").orElseThrow().description()).isEqualTo("moved");
    assertThat(store.version()).isGreaterThan(version);
    assertThatThrownBy(
            () ->
                store.replaceConnection(
                    new Connection("warehouse", " ", null, null, null, null, null, null), null))
        .isInstanceOf(SecretsException.class)
        .hasMessageContaining("no type");
    assertThat(store.connection("warehouse")).contains(moved);
  }

  @Test
  void should_store_passwords_extras_and_secret_variables_only_encrypted() throws Exception {
    store.addConnection(WAREHOUSE, null);
    store.setVariable("slack_token", "xoxb-123456", null);
    store.setVariable("region", "eu-west-1", null);

    List<String> connectionCells = rawCells("connection");
    assertThat(String.join("|", connectionCells))
        .doesNotContain("hunter22-pw", "ak-77777", "sslmode", "require")
        .contains("db.example.com", "etl");
    assertThat(connectionCells).filteredOn(cell -> cell.startsWith("v1:")).hasSize(2);
    List<String> variableCells = rawCells("variable");
    assertThat(String.join("|", variableCells)).doesNotContain("xoxb-123456").contains("eu-west-1");
    assertThat(variableCells).filteredOn(cell -> cell.startsWith("v1:")).hasSize(1);
  }

  @Test
  void should_set_variables_encrypting_those_whose_key_looks_secret() {
    assertThat(store.setVariable("DB_Password", "pw-1", "the password")).isTrue();
    assertThat(store.setVariable("region", "eu-west-1", null)).isFalse();

    assertThat(store.variable("DB_Password")).contains("pw-1");
    assertThat(store.variable("region")).contains("eu-west-1");
    assertThat(store.variable("nope")).isEmpty();
    assertThat(store.variables())
        .containsExactly(
            new VariableRow("DB_Password", null, true, "the password"),
            new VariableRow("region", "eu-west-1", false, ""));

    store.setVariable("DB_Password", "pw-2", null);
    assertThat(store.variableRow("DB_Password"))
        .contains(new VariableRow("DB_Password", "pw-2", true, "the password"));
    store.setVariable("DB_Password", "pw-3", "");
    assertThat(store.variableRow("DB_Password").orElseThrow().description()).isEmpty();
    assertThat(store.variablesDecrypted())
        .containsExactly(
            new VariableRow("DB_Password", "pw-3", true, ""),
            new VariableRow("region", "eu-west-1", false, ""));

    assertThat(store.deleteVariable("region")).isTrue();
    assertThat(store.deleteVariable("region")).isFalse();
    assertThat(store.variable("region")).isEmpty();
  }

  @Test
  void should_set_many_variables_in_one_transaction() {
    store.setVariable("a", "old", "kept");
    Map<String, NewVariable> batch = new LinkedHashMap<>();
    batch.put("a", new NewVariable("1", null));
    batch.put("api_key", new NewVariable("k-123", "the key"));
    batch.put("c", new NewVariable("[1,2]", null));

    store.setVariables(batch);

    assertThat(store.variablesDecrypted())
        .containsExactly(
            new VariableRow("a", "1", false, "kept"),
            new VariableRow("api_key", "k-123", true, "the key"),
            new VariableRow("c", "[1,2]", false, ""));
  }

  @Test
  void should_bump_the_version_on_every_change_only() {
    long start = store.version();
    store.addConnection(WAREHOUSE, null);
    long afterAdd = store.version();
    store.addConnection(WAREHOUSE, null); // refused
    store.deleteConnection("nope"); // nothing
    assertThat(store.version()).isEqualTo(afterAdd).isGreaterThan(start);
    store.setVariable("a", "1", null);
    assertThat(store.version()).isGreaterThan(afterAdd);
    long afterSet = store.version();
    store.deleteVariable("a");
    assertThat(store.version()).isGreaterThan(afterSet);
  }

  @Test
  void should_read_everything_with_its_version() {
    store.addConnection(WAREHOUSE, null);
    store.setVariable("api_token", "t-1234", null);
    store.setVariable("region", "eu", null);

    SecretsStore.Contents contents = store.contents();

    assertThat(contents.version()).isEqualTo(store.version());
    assertThat(contents.connections().get("warehouse").get()).isEqualTo(WAREHOUSE);
    assertThat(contents.variables().get("api_token").get()).isEqualTo("t-1234");
    assertThat(contents.variables().get("api_token").secret()).isTrue();
    assertThat(contents.variables().get("region").secret()).isFalse();
  }

  @Test
  void should_name_what_cannot_be_decrypted_with_another_key() {
    store.addConnection(WAREHOUSE, null);
    store.setVariable("api_token", "t-1234", null);
    store.setVariable("region", "eu", null);
    SecretsStore other = new SecretsStore(database, new SecretCipher(MasterKey.of(OTHER_KEY)));

    assertThatThrownBy(() -> other.connection("warehouse"))
        .isInstanceOf(SecretsException.class)
        .hasMessageStartingWith(
            "cannot decrypt the password of connection 'warehouse': the secret key changed");
    assertThatThrownBy(() -> other.variable("api_token"))
        .isInstanceOf(SecretsException.class)
        .hasMessageStartingWith("cannot decrypt variable 'api_token': the secret key changed");
    assertThat(other.variable("region")).contains("eu");
    assertThat(other.connections()).hasSize(1); // listing decrypts nothing
    SecretsStore.Contents contents = other.contents();
    assertThat(contents.connections().get("warehouse").error()).isNotNull();
    assertThat(contents.variables().get("region").get()).isEqualTo("eu");
  }

  @Test
  void should_refuse_a_ciphertext_copied_onto_another_row() throws Exception {
    store.setVariable("a_token", "first-secret", null);
    store.setVariable("b_token", "second-secret", null);
    try (java.sql.Connection c = database.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE variable SET var_value = (SELECT var_value FROM variable WHERE var_key ="
                    + " 'a_token') WHERE var_key = 'b_token'")) {
      ps.executeUpdate();
      c.commit();
    }

    assertThatThrownBy(() -> store.variable("b_token"))
        .hasMessageStartingWith("cannot decrypt variable 'b_token'");
  }

  @Test
  void should_check_ids_and_keys() {
    assertThatThrownBy(() -> store.setVariable("", "x", null))
        .hasMessage("a variable key cannot be empty");
    assertThatThrownBy(() -> store.setVariable("a b", "x", null))
        .hasMessage("variable key 'a b' contains a space or control character");
    assertThatThrownBy(
            () ->
                store.addConnection(
                    new Connection("x".repeat(251), "http", null, null, null, null, null, null),
                    null))
        .hasMessage("a connection id has at most 250 characters, got 251");
  }
}
