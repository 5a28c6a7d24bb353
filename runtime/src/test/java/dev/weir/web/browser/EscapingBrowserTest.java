package dev.weir.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import dev.weir.users.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Text a DAG's author or a run's trigger controls (doc, params, conf, log output, XCom, a URL) that
 * holds markup shows as that text: no element is made of it and no script of it runs. Each payload
 * would pop an alert and set {@code window.__xss} if it ran; the page's own scripts come only from
 * files, so any inline script or handler on a page is a payload.
 */
class EscapingBrowserTest {
  static final String DOC_PAYLOAD = "<script>alert('doc'); window.__xss = 'doc'</script>";
  static final String IMG_PAYLOAD =
      "<img src=\"x\" onerror=\"alert('img'); window.__xss = 'img'\">";
  static final String PARAM_PAYLOAD = "<script>alert('param'); window.__xss = 'param'</script>";
  static final String CONF_PAYLOAD = "<script>alert('conf'); window.__xss = 'conf'</script>";
  static final String LOG_PAYLOAD = "<script>alert('log'); window.__xss = 'log'</script>";
  static final String XCOM_PAYLOAD = "<script>alert('xcom'); window.__xss = 'xcom'</script>";
  static final String IMPORT_PAYLOAD = "<script>alert('import'); window.__xss = 'import'</script>";

  @RegisterExtension static final Browser browser = new Browser();

  @TempDir static Path temp;
  static Weir weir;
  static DagRunRow run;

  @BeforeAll
  static void startWeir() {
    weir =
        new Weir(temp)
            .dag(
                "xss.groovy",
                """
                dag('xss') {
                    description "%s"
                    doc '''
                    # Notes %s
                    %s
                    '''
                    pausedAtCreation false
                    params { note "%s" }
                    def shout = bash('shout') { command 'echo "%s"' }
                    def push = task('push') { ctx -> "%s" }
                    shout >> push
                }
                """
                    .formatted(
                        groovy(DOC_PAYLOAD),
                        DOC_PAYLOAD,
                        IMG_PAYLOAD,
                        groovy(PARAM_PAYLOAD),
                        LOG_PAYLOAD.replace("'", "\\'"),
                        groovy(XCOM_PAYLOAD)))
            .dag(
                "broken.groovy",
                "dag('broken') { throw new IllegalStateException(\"%s\") }"
                    .formatted(groovy(IMPORT_PAYLOAD)))
            .start();
    run =
        weir.trigger(
            "xss",
            Instant.parse("2025-06-01T00:00:00Z"),
            "{\"note\": \"" + CONF_PAYLOAD.replace("\"", "\\\"") + "\"}");
    assertThat(weir.awaitRun("xss", run.runId())).isEqualTo(RunState.SUCCESS);
  }

  @AfterAll
  static void stopWeir() {
    if (weir != null) {
      weir.close();
    }
  }

  @BeforeEach
  void logIn() {
    browser.logIn(weir, Weir.username(Role.ADMIN), Weir.PASSWORD);
  }

  @Test
  void should_show_markup_in_a_url_path_as_text_on_the_not_found_page() {
    browser.open(weir, "/dags/%3Cscript%3E/grid");

    assertThat(browser.await(By.tagName("main")).getText()).contains("<script>");
    assertNothingRan();

    browser.open(weir, "/dags/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/grid");

    assertThat(browser.await(By.tagName("main")).getText())
        .contains("<img src=x onerror=alert(1)>");
    assertThat(browser.driver().findElements(By.cssSelector("main img"))).isEmpty();
    assertNothingRan();
  }

  @Test
  void should_show_markup_in_the_doc_and_params_as_text_on_the_details_tab() {
    browser.open(weir, "/dags/xss/details");

    String doc = browser.await(By.id("doc")).getText();
    assertThat(doc).contains(DOC_PAYLOAD, IMG_PAYLOAD);
    assertThat(browser.driver().findElements(By.cssSelector("#doc script, #doc img"))).isEmpty();
    assertThat(browser.await(By.id("details")).getText()).contains(PARAM_PAYLOAD);
    assertNothingRan();
  }

  @Test
  void should_show_markup_in_the_params_as_text_in_the_trigger_form() {
    browser.open(weir, "/dags/xss/grid");
    browser.await(By.id("trigger")).click();

    assertThat(browser.awaitVisible(By.id("trigger-conf")).getAttribute("value"))
        .contains(PARAM_PAYLOAD);
    assertThat(browser.driver().findElements(By.cssSelector("#trigger-form script"))).isEmpty();
    assertNothingRan();
  }

  @Test
  void should_show_markup_in_the_conf_as_text_on_the_runs_tab() {
    browser.open(weir, "/dags/xss/runs");

    browser
        .waiting()
        .until(
            ExpectedConditions.textMatches(
                By.id("runs"), Pattern.compile(Pattern.quote(CONF_PAYLOAD))));
    assertThat(browser.driver().findElements(By.cssSelector("#runs script"))).isEmpty();
    assertNothingRan();
  }

  @Test
  void should_show_markup_in_a_log_as_text() {
    browser.open(weir, taskPage("shout"));

    browser
        .waiting()
        .until(
            ExpectedConditions.textMatches(
                By.id("log"), Pattern.compile(Pattern.quote(LOG_PAYLOAD))));
    assertThat(browser.driver().findElements(By.cssSelector("#log *"))).isEmpty();
    assertNothingRan();
  }

  @Test
  void should_show_markup_in_an_xcom_value_as_text() {
    browser.open(weir, taskPage("push"));

    browser
        .waiting()
        .until(
            ExpectedConditions.textMatches(
                By.id("xcom"), Pattern.compile("<script>alert\\('xcom'\\)")));
    assertThat(browser.driver().findElements(By.cssSelector("#xcom script"))).isEmpty();
    assertNothingRan();
  }

  @Test
  void should_show_markup_in_the_dag_list_and_an_import_error_as_text() {
    browser.open(weir, "/dags");

    browser.await(By.cssSelector("tr[data-dag-id='xss']"));
    String errors = browser.awaitVisible(By.id("import-errors")).getText();
    assertThat(errors).contains("broken.groovy:", IMPORT_PAYLOAD);
    assertThat(browser.driver().findElements(By.cssSelector("#import-errors script"))).isEmpty();
    assertNothingRan();
  }

  /** No alert is open, no payload set its marker, and the page has no inline script or handler. */
  private static void assertNothingRan() {
    assertThatThrownBy(() -> browser.driver().switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    assertThat(browser.script("return typeof window.__xss")).isEqualTo("undefined");
    assertThat(
            browser.script(
                "return Array.from(document.scripts).filter(s => !s.src).length"
                    + " + document.querySelectorAll('[onerror], [onload], [onclick]').length"))
        .isEqualTo(0L);
  }

  private static String taskPage(String taskId) {
    return "/dags/xss/runs/"
        + URLEncoder.encode(run.runId(), StandardCharsets.UTF_8).replace("+", "%20")
        + "/tasks/"
        + taskId;
  }

  /** The text as the body of a Groovy double-quoted string (no interpolation, quotes escaped). */
  private static String groovy(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$");
  }
}
