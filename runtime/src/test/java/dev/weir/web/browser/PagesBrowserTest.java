package dev.weir.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.RunState;
import dev.weir.state.TaskState;
import dev.weir.store.DagRunRow;
import dev.weir.store.TaskInstanceRow;
import dev.weir.users.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The DAG pages over a finished run of a DAG with a mapped task and a group: the grid's mapped cell
 * and folding group, the graph, the gantt chart and the code; marking a task from its page; pausing
 * from the DAG list.
 */
class PagesBrowserTest {
  @RegisterExtension static final Browser browser = new Browser();

  @TempDir static Path temp;
  static Weir weir;
  static DagRunRow run;

  @BeforeAll
  static void startWeir() {
    weir =
        new Weir(temp)
            .dag(
                "shapes.groovy",
                """
                dag('shapes') {
                    description 'A mapped task and a group'
                    pausedAtCreation false
                    def list = task('list') { ctx -> ['a.csv', 'b.csv', 'c.csv'] }
                    def count = bash('count') {
                        expand list
                        command 'echo "counting {{ item }}"'
                    }
                    def checks = group('checks') {
                        bash('rows') { command 'echo rows ok' }
                        bash('schema') { command 'echo schema ok' }
                    }
                    def report = task('report') { ctx -> 42 }
                    list >> count >> checks >> report
                }
                """)
            .start();
    run = weir.trigger("shapes", Instant.parse("2025-04-01T00:00:00Z"), "{}");
    assertThat(weir.awaitRun("shapes", run.runId())).isEqualTo(RunState.SUCCESS);
  }

  @AfterAll
  static void stopWeir() {
    if (weir != null) {
      weir.close();
    }
  }

  @BeforeEach
  void logIn() {
    browser.logIn(weir, Weir.username(Role.USER), Weir.PASSWORD);
  }

  @Test
  void should_show_a_mapped_task_as_one_cell_and_fold_a_group_in_the_grid() {
    browser.open(weir, "/dags/shapes/grid");

    WebElement mapped =
        browser.await(
            By.cssSelector(
                "#grid [data-run-id='"
                    + run.runId()
                    + "'][data-task-id='count'][data-mapped='true']"));
    assertThat(mapped.getAttribute("data-state")).isEqualTo("success");
    assertThat(
            browser
                .driver()
                .findElements(
                    By.cssSelector(
                        "#grid [data-run-id='" + run.runId() + "'][data-task-id='count']")))
        .hasSize(1);
    List<WebElement> grouped = groupCells();
    assertThat(grouped).hasSize(2).allSatisfy(cell -> assertThat(cell.isDisplayed()).isTrue());

    browser.await(By.cssSelector("#grid [data-group-id='checks'] button")).click();

    browser.waiting().until(driver -> groupCells().stream().noneMatch(WebElement::isDisplayed));
    browser.driver().findElement(By.cssSelector("#grid [data-group-id='checks'] button")).click();
    browser.waiting().until(driver -> groupCells().stream().allMatch(WebElement::isDisplayed));
  }

  @Test
  void should_draw_the_graph_with_states_edges_and_the_group() {
    browser.open(weir, "/dags/shapes/graph");

    WebElement list =
        browser.await(
            By.cssSelector("svg#graph g.node[data-task-id='list'][data-state='success']"));
    assertThat(browser.drawnWidth(list)).isPositive();
    assertThat(browser.driver().findElements(By.cssSelector("svg#graph g.node[data-task-id]")))
        .hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(node -> assertThat(node.getAttribute("data-state")).isEqualTo("success"));
    assertThat(
            browser
                .driver()
                .findElements(By.cssSelector("svg#graph g.group[data-group-id='checks']")))
        .hasSize(1);
    assertThat(browser.driver().findElements(By.cssSelector("svg#graph path")))
        .hasSizeGreaterThanOrEqualTo(4);
    assertThat(browser.await(By.id("graph-run")).getText()).isNotBlank();
  }

  @Test
  void should_draw_a_gantt_bar_per_try() {
    browser.open(weir, "/dags/shapes/gantt");

    WebElement bar =
        browser.await(By.cssSelector("#gantt [data-task-id='report'][data-try-number='1']"));
    assertThat(browser.drawnWidth(bar)).as("width of the bar of report").isPositive();
    assertThat(browser.driver().findElements(By.cssSelector("#gantt [data-task-id='count']")))
        .hasSize(3); // one bar per mapped instance
    assertThat(browser.await(By.id("gantt-run")).getText()).isNotBlank();
  }

  @Test
  void should_chart_a_task_duration_and_a_numeric_xcom_per_run() {
    browser.open(weir, "/dags/shapes/charts");

    new Select(browser.await(By.id("chart-task"))).selectByValue("report");
    browser.waiting().until(driver -> drawnMarks("svg#duration-chart") > 0);
    Select xcom = new Select(browser.await(By.id("chart-xcom")));
    browser
        .waiting()
        .until(
            driver ->
                xcom.getOptions().stream().anyMatch(option -> option.getText().contains("report")));
    xcom.getOptions().stream()
        .filter(option -> option.getText().contains("report"))
        .findFirst()
        .orElseThrow()
        .click();
    browser.waiting().until(driver -> drawnMarks("svg#xcom-chart") > 0);
  }

  @Test
  void should_show_the_script_on_the_code_tab() {
    browser.open(weir, "/dags/shapes/code");

    assertThat(browser.await(By.id("code")).getText())
        .contains("dag('shapes') {", "expand list", "group('checks')");
  }

  @Test
  void should_mark_a_task_failed_and_success_from_its_page() {
    DagRunRow marked = weir.trigger("shapes", Instant.parse("2025-04-02T00:00:00Z"), "{}");
    assertThat(weir.awaitRun("shapes", marked.runId())).isEqualTo(RunState.SUCCESS);
    browser.open(
        weir,
        "/dags/shapes/runs/"
            + URLEncoder.encode(marked.runId(), StandardCharsets.UTF_8)
            + "/tasks/report");
    browser
        .waiting()
        .until(ExpectedConditions.attributeToBe(By.id("ti-state"), "data-state", "success"));

    browser.await(By.id("mark-failed")).click();

    browser
        .waiting()
        .until(ExpectedConditions.attributeToBe(By.id("ti-state"), "data-state", "failed"));
    assertThat(reportState(marked)).isEqualTo(TaskState.FAILED);

    browser.await(By.id("mark-success")).click();

    browser
        .waiting()
        .until(ExpectedConditions.attributeToBe(By.id("ti-state"), "data-state", "success"));
    assertThat(reportState(marked)).isEqualTo(TaskState.SUCCESS);
    assertThat(browser.driver().findElement(By.id("action-error")).getText()).isBlank();
  }

  @Test
  void should_pause_and_unpause_a_dag_from_the_dag_list() {
    browser.open(weir, "/dags");
    By toggle = By.cssSelector("#dags tr[data-dag-id='shapes'] input.pause-toggle");
    assertThat(browser.await(toggle).isSelected()).isTrue(); // active

    browser.driver().findElement(toggle).click();

    browser.waiting().until(driver -> weir.store().dag("shapes").orElseThrow().paused());
    browser.driver().navigate().refresh();
    browser.waiting().until(ExpectedConditions.elementSelectionStateToBe(toggle, false));

    browser.driver().findElement(toggle).click();

    browser.waiting().until(driver -> !weir.store().dag("shapes").orElseThrow().paused());
  }

  /** How many points, lines or bars of the chart take room on screen. */
  private static long drawnMarks(String chart) {
    return browser
        .driver()
        .findElements(
            By.cssSelector(
                String.join(
                    ", ",
                    chart + " circle",
                    chart + " polyline",
                    chart + " rect",
                    chart + " path")))
        .stream()
        .filter(mark -> browser.drawnWidth(mark) > 0)
        .count();
  }

  private static List<WebElement> groupCells() {
    return browser
        .driver()
        .findElements(
            By.cssSelector(
                "#grid [data-run-id='"
                    + run.runId()
                    + "'][data-task-id$='rows'], #grid [data-run-id='"
                    + run.runId()
                    + "'][data-task-id$='schema']"));
  }

  private static TaskState reportState(DagRunRow marked) {
    return weir.store().taskInstances(marked.id()).stream()
        .filter(ti -> ti.taskId().equals("report"))
        .map(TaskInstanceRow::state)
        .findFirst()
        .orElseThrow();
  }
}
