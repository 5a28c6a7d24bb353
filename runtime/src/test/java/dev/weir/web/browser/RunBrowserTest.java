package dev.weir.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskTryRow;
import dev.weir.users.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A DAG's life in the browser, on a live scheduler: trigger it with a conf, watch its run turn
 * green in the grid, read a task's log, clear the task and see it run again; and a Viewer, who may
 * do none of that.
 */
class RunBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  @TempDir static Path temp;
  static Weir weir;

  @BeforeAll
  static void startWeir() {
    weir =
        new Weir(temp)
            .dag(
                "greet.groovy",
                """
                dag('greet') {
                    description 'Greets whoever the conf names'
                    pausedAtCreation false
                    params { who 'world'; pause 0 }
                    def say = bash('say') { command 'echo "hello {{ params.who }}"; sleep {{ params.pause }}' }
                    def shout = task('shout') { ctx ->
                        ctx.log.info('shouting at {}', ctx.params.who)
                        ctx.params.who.toUpperCase()
                    }
                    say >> shout
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
  void should_trigger_a_dag_with_a_conf_and_watch_its_run_turn_green_in_the_grid() {
    browser.logIn(weir, Weir.username(Role.USER), Weir.PASSWORD);
    browser.open(weir, "/dags/greet/grid");

    browser.await(By.id("trigger")).click();
    browser.awaitVisible(By.id("trigger-form"));
    WebElement conf = browser.awaitVisible(By.id("trigger-conf"));
    assertThat(conf.getAttribute("value")).contains("\"who\"", "\"world\""); // the params' defaults
    conf.clear();
    conf.sendKeys("{\"who\": \"grid watcher\"}");
    browser.driver().findElement(By.id("trigger-submit")).click();

    DagRunRow run = awaitRunOf("greet", "grid watcher");
    // The grid refreshes itself: no reload here.
    for (String task : List.of("say", "shout")) {
      browser.await(cell(run.runId(), task, "success"));
    }
    assertThat(weir.awaitRun("greet", run.runId())).isEqualTo(RunState.SUCCESS);
    WebElement say = browser.driver().findElement(cell(run.runId(), "say", "success"));
    assertThat(say.getAttribute("class")).contains("state-success");
    assertThat(browser.driver().findElements(By.cssSelector("#trigger-error")))
        .allSatisfy(error -> assertThat(error.getText()).isBlank());
  }

  @Test
  void should_show_the_server_message_when_the_conf_does_not_fit_the_params() {
    browser.logIn(weir, Weir.username(Role.USER), Weir.PASSWORD);
    browser.open(weir, "/dags/greet/grid");
    int runsBefore = weir.store().runs("greet", null, 100).size();

    browser.await(By.id("trigger")).click();
    WebElement conf = browser.awaitVisible(By.id("trigger-conf"));
    conf.clear();
    conf.sendKeys("[1, 2]");
    browser.driver().findElement(By.id("trigger-submit")).click();

    browser.waiting().until(ExpectedConditions.textMatches(By.id("trigger-error"), nonBlank()));
    assertThat(browser.driver().findElement(By.id("trigger-error")).getText()).contains("conf");
    assertThat(weir.store().runs("greet", null, 100)).hasSize(runsBefore);
  }

  @Test
  void should_show_a_task_log_and_run_a_cleared_task_again_as_try_2() {
    DagRunRow run =
        weir.trigger(
            "greet",
            Instant.parse("2025-05-01T00:00:00Z"),
            // Long enough for the page to see the second try running.
            "{\"who\": \"log reader\", \"pause\": 8}");
    assertThat(weir.awaitRun("greet", run.runId())).isEqualTo(RunState.SUCCESS);
    browser.logIn(weir, Weir.username(Role.USER), Weir.PASSWORD);

    browser.open(weir, taskPage(run, "say"));

    browser
        .waiting()
        .until(ExpectedConditions.textMatches(By.id("log"), contains("hello log reader")));
    assertThat(browser.await(By.id("ti-state")).getAttribute("data-state")).isEqualTo("success");
    assertThat(tryNumbers()).containsExactly("1");

    browser.await(By.id("clear")).click();
    browser.awaitVisible(By.id("clear-options"));
    browser.driver().findElement(By.id("clear-confirm")).click();

    // The scheduler runs it again, as try 2; the page follows by itself (no reload): the state
    // leaves success, the log of try 2 is tailed while it runs, and the state returns to success.
    browser
        .waiting()
        .until(
            ExpectedConditions.not(
                ExpectedConditions.attributeToBe(By.id("ti-state"), "data-state", "success")));
    browser
        .waiting()
        .until(
            driver ->
                tryNumbers().contains("2")
                    && "2".equals(selectedTry())
                    && "running".equals(state())
                    && driver.findElement(By.id("log")).getText().contains("hello log reader"));
    browser
        .waiting()
        .until(ExpectedConditions.attributeToBe(By.id("ti-state"), "data-state", "success"));
    assertThat(secondTry(run))
        .isNotNull()
        .extracting(TaskTryRow::state)
        .isEqualTo(TaskState.SUCCESS);
    assertThat(weir.awaitRun("greet", run.runId())).isEqualTo(RunState.SUCCESS);
    assertThat(tryNumbers()).containsExactly("1", "2");
    assertThat(selectedTry()).isEqualTo("2");
    browser
        .waiting()
        .until(ExpectedConditions.textMatches(By.id("log"), contains("hello log reader")));
    assertThat(browser.driver().findElement(By.id("tries")).getText()).contains("success");

    // An alert's link names its try: the page opens on it, not on the latest one.
    browser.open(weir, taskPage(run, "say") + "?try=1");
    browser.waiting().until(driver -> tryNumbers().contains("2") && "1".equals(selectedTry()));
  }

  @Test
  void should_give_a_viewer_no_trigger_and_refuse_a_forced_trigger() {
    browser.logIn(weir, Weir.username(Role.VIEWER), Weir.PASSWORD);
    browser.open(weir, "/dags/greet/grid");
    browser.await(By.id("grid"));
    int runsBefore = weir.store().runs("greet", null, 100).size();

    assertThat(browser.driver().findElements(By.id("trigger")))
        .allSatisfy(trigger -> assertThat(trigger.isEnabled()).isFalse());
    Map<?, ?> forced =
        (Map<?, ?>)
            browser.asyncScript(
                """
                const done = arguments[arguments.length - 1];
                const token = document.querySelector('meta[name="csrf-token"]').content;
                fetch('/api/v1/dags/greet/dagRuns', {
                  method: 'POST',
                  headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
                  body: JSON.stringify({conf: {who: 'intruder'}})
                }).then(r => r.json().then(body => done({status: r.status, body: body})))
                  .catch(e => done({status: -1, body: String(e)}));
                """);

    assertThat(forced.get("status")).as("%s", forced).isEqualTo(403L);
    assertThat(weir.store().runs("greet", null, 100)).hasSize(runsBefore);
    browser.open(weir, "/dags");
    assertThat(
            browser.await(By.cssSelector("tr[data-dag-id='greet'] input.pause-toggle")).isEnabled())
        .isFalse();
  }

  private static By cell(String runId, String taskId, String state) {
    return By.cssSelector(
        "#grid [data-run-id='"
            + runId
            + "'][data-task-id='"
            + taskId
            + "'][data-state='"
            + state
            + "']");
  }

  /** Waits for the run of the DAG whose conf names this person, as the trigger form made it. */
  private static DagRunRow awaitRunOf(String dagId, String who) {
    return browser
        .waiting()
        .until(
            driver ->
                weir.store().runs(dagId, null, 100).stream()
                    .filter(run -> run.conf() != null && run.conf().contains(who))
                    .findFirst()
                    .orElse(null));
  }

  private static String taskPage(DagRunRow run, String taskId) {
    return "/dags/"
        + run.dagId()
        + "/runs/"
        + URLEncoder.encode(run.runId(), StandardCharsets.UTF_8).replace("+", "%20")
        + "/tasks/"
        + taskId;
  }

  private static TaskTryRow secondTry(DagRunRow run) {
    return weir.store().tries(run.id(), "say").stream()
        .filter(t -> t.tryNumber() == 2)
        .findFirst()
        .orElse(null);
  }

  private static String selectedTry() {
    return new Select(browser.driver().findElement(By.id("try")))
        .getFirstSelectedOption()
        .getAttribute("value");
  }

  private static String state() {
    return browser.driver().findElement(By.id("ti-state")).getAttribute("data-state");
  }

  private static List<String> tryNumbers() {
    return new Select(browser.await(By.id("try")))
        .getOptions().stream().map(option -> option.getAttribute("value")).toList();
  }

  private static java.util.regex.Pattern nonBlank() {
    return java.util.regex.Pattern.compile("\\S");
  }

  private static java.util.regex.Pattern contains(String text) {
    return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(text));
  }
}
