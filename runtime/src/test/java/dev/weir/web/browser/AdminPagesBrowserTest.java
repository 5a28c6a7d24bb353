package dev.weir.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Connection;
import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import dev.weir.users.Role;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Connections, variables and datasets in the browser: secrets never reach it, only Op and Admin get
 * the controls that change connections and variables, and a dataset lists its producer and
 * consumer.
 */
class AdminPagesBrowserTest {
  static final String CONNECTION_PASSWORD = "hunter2-never-in-a-browser";
  static final String EXTRA_SECRET = "extra-api-key-never-in-a-browser";
  static final String VARIABLE_SECRET = "variable-secret-never-in-a-browser";
  static final String DATASET = "file:///tmp/weir-browser-tests/orders.csv";

  @RegisterExtension static final Browser browser = new Browser();

  @TempDir static Path temp;
  static Weir weir;

  @BeforeAll
  static void startWeir() {
    weir =
        new Weir(temp)
            .dag(
                "orders.groovy",
                """
                dag('export_orders') {
                    pausedAtCreation false
                    bash('export') {
                        command 'echo exported'
                        outlets dataset('%s')
                    }
                }
                dag('load_orders') {
                    schedule datasets('%s')
                    bash('load') { command 'echo loaded' }
                }
                """
                    .formatted(DATASET, DATASET))
            .start();
    weir.secrets()
        .addConnection(
            new Connection(
                "warehouse",
                "postgres",
                "db.example.com",
                5432,
                "sales",
                "loader",
                CONNECTION_PASSWORD,
                Map.of("api_key", EXTRA_SECRET)),
            "The sales warehouse");
    weir.secrets().setVariable("db_password", VARIABLE_SECRET, "looks secret by its name");
    weir.secrets().setVariable("region", "eu", "plain");
    DagRunRow run = weir.trigger("export_orders", null, "{}");
    assertThat(weir.awaitRun("export_orders", run.runId())).isEqualTo(RunState.SUCCESS);
  }

  @AfterAll
  static void stopWeir() {
    if (weir != null) {
      weir.close();
    }
  }

  @Test
  void should_list_connections_and_variables_without_their_secrets() {
    browser.logIn(weir, Weir.username(Role.ADMIN), Weir.PASSWORD);

    browser.open(weir, "/connections");
    browser
        .waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("connections"), "warehouse"));
    assertThat(browser.driver().findElement(By.id("connections")).getText())
        .contains("db.example.com");
    assertNoSecretInPageOrApi("/api/v1/connections");

    browser.open(weir, "/variables");
    browser
        .waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("variables"), "db_password"));
    assertThat(browser.driver().findElement(By.id("variables")).getText())
        .contains("***", "region", "eu");
    assertNoSecretInPageOrApi("/api/v1/variables");
  }

  @Test
  void should_give_a_viewer_no_control_that_changes_connections_or_variables() {
    browser.logIn(weir, Weir.username(Role.VIEWER), Weir.PASSWORD);

    for (String page : new String[] {"connections", "variables"}) {
      browser.open(weir, "/" + page);
      browser
          .waiting()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id(page), page.equals("connections") ? "warehouse" : "region"));
      assertThat(browser.driver().findElements(By.cssSelector("main button, main form")))
          .as("controls on /%s for a viewer", page)
          .allSatisfy(
              control -> assertThat(control.isDisplayed() && control.isEnabled()).isFalse());
    }
  }

  @Test
  void should_list_a_dataset_with_its_producer_and_consumer() {
    browser.logIn(weir, Weir.username(Role.VIEWER), Weir.PASSWORD);

    browser.open(weir, "/datasets");

    String row =
        browser.await(By.cssSelector("table#datasets tr[data-uri='" + DATASET + "']")).getText();
    assertThat(row).contains("export_orders", "load_orders");
  }

  /** Neither the page as drawn nor the API's answer holds any of the secrets. */
  private static void assertNoSecretInPageOrApi(String api) {
    String page = (String) browser.script("return document.documentElement.outerHTML");
    String answer =
        (String)
            browser.asyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));",
                api);
    assertThat(answer).startsWith("{");
    for (String text : new String[] {page, answer}) {
      assertThat(text).doesNotContain(CONNECTION_PASSWORD, EXTRA_SECRET, VARIABLE_SECRET);
    }
  }
}
