package dev.weir.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.users.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Logging in and out through the real login form, and the DAG list a login leads to. */
class LoginBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  @TempDir static Path temp;
  static Weir weir;

  @BeforeAll
  static void startWeir() {
    weir =
        new Weir(temp)
            .dag(
                "hello.groovy",
                """
                dag('hello') {
                    description 'Says hello'
                    tags 'greeting'
                    pausedAtCreation false
                    bash('say') { command 'echo hello' }
                }
                dag('goodbye') {
                    tags 'farewell'
                    bash('say') { command 'echo goodbye' }
                }
                """)
            .start();
  }

  @AfterAll
  static void stopWeir() {
    if (weir != null) {
      weir.close();
    }
  }

  @Test
  void should_log_in_through_the_form_and_list_the_dags() {
    browser.anonymous(weir);
    browser.open(weir, "/dags");
    // Not logged in yet: the page asks for a login first, and returns to the DAGs after it.
    browser.await(By.id("username"));
    assertThat(browser.driver().getCurrentUrl()).contains("/login");

    browser.fillLogin(Weir.username(Role.USER), Weir.PASSWORD);

    browser.waiting().until(ExpectedConditions.urlContains("/dags"));
    assertThat(browser.await(By.cssSelector("header .user")).getText()).contains("user (User)");
    assertThat(awaitDagList("hello", "goodbye")).contains("hello", "goodbye");
  }

  @Test
  void should_refuse_a_wrong_password_with_an_error_on_the_form() {
    browser.anonymous(weir);

    browser.fillLogin(Weir.username(Role.ADMIN), "not the password");

    assertThat(browser.awaitVisible(By.cssSelector(".error[role=alert]")).getText())
        .isEqualTo("Wrong username or password.");
    assertThat(browser.driver().getCurrentUrl()).contains("/login");
    browser.open(weir, "/dags");
    browser.await(By.id("username")); // still not logged in
  }

  @Test
  void should_log_out_and_need_a_new_login_afterwards() {
    browser.logIn(weir, Weir.username(Role.VIEWER), Weir.PASSWORD);
    assertThat(awaitDagList("hello")).contains("hello");

    browser.driver().findElement(By.cssSelector("form.logout button[type=submit]")).click();

    browser.await(By.id("username"));
    assertThat(browser.driver().getCurrentUrl()).contains("/login");
    browser.open(weir, "/dags");
    browser.await(By.id("username"));
    assertThat(browser.driver().getCurrentUrl()).contains("/login");
    assertThat(browser.driver().findElements(By.cssSelector("table.dags, table#dags"))).isEmpty();
  }

  @Test
  void should_filter_the_dag_list_by_search_and_by_tag() {
    browser.logIn(weir, Weir.username(Role.VIEWER), Weir.PASSWORD);
    awaitDagList("hello", "goodbye");
    By hello = By.cssSelector("#dags tr[data-dag-id='hello']");
    By goodbye = By.cssSelector("#dags tr[data-dag-id='goodbye']");

    browser.await(By.id("dag-search")).sendKeys("good");

    browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(hello));
    assertThat(browser.driver().findElement(goodbye).isDisplayed()).isTrue();

    // Emptied by keys, as a user would, so that the page hears it.
    browser
        .driver()
        .findElement(By.id("dag-search"))
        .sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(hello));
    browser.driver().findElements(By.cssSelector("a.tag")).stream()
        .filter(tag -> tag.getText().equals("greeting"))
        .findFirst()
        .orElseThrow()
        .click();

    browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(goodbye));
    assertThat(browser.driver().findElement(hello).isDisplayed()).isTrue();
  }

  /** Waits for the DAG list (the table of {@code /dags}, drawn by its script) to show the ids. */
  private static String awaitDagList(String... dagIds) {
    By table = By.cssSelector("table.dags, table#dags");
    for (String dagId : dagIds) {
      browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(table, dagId));
    }
    return browser.driver().findElement(table).getText();
  }
}
