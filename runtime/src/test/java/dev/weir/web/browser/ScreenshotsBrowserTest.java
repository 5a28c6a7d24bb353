package dev.weir.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.RunState;
import dev.weir.store.DagRunRow;
import dev.weir.users.Role;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;

/**
 * Takes the screenshots of the docs ({@code docs/images/*.png}) from a live Weir running the
 * repository's example DAGs and one with mapped tasks, with a few runs each. Runs only when the
 * system property {@value #FOLDER} names the folder to write into (see {@code
 * docs/images/README.md}).
 */
@EnabledIfSystemProperty(named = ScreenshotsBrowserTest.FOLDER, matches = ".+")
class ScreenshotsBrowserTest {
  static final String FOLDER = "weir.screenshots";

  @RegisterExtension static final Browser browser = new Browser();

  @TempDir static Path temp;
  static Weir weir;
  static final List<DagRunRow> runs = new ArrayList<>();

  @BeforeAll
  static void startWeir() {
    weir =
        new Weir(temp)
            .exampleDag("hello_world.groovy")
            .exampleDag("daily_sales.groovy")
            .exampleDag("train_models.groovy")
            .exampleDag("produce_sales.groovy")
            .exampleDag("retrain_model.groovy")
            .dag(
                "process_files.groovy",
                """
                // One instance of 'count' per file that 'list_files' finds.
                dag('process_files') {
                    description 'Count the lines of each file of a folder, in parallel'
                    tags 'mapping', 'example'
                    def listFiles = task('list_files') { ctx -> sleep 300; ['orders.csv', 'refunds.csv', 'stock.csv', 'prices.csv'] }
                    def count = bash('count') {
                        expand listFiles
                        command 'echo "counting {{ item }}"; sleep 0.$((RANDOM % 8 + 2)); echo "{{ item }}: $((RANDOM % 900 + 100)) lines"'
                    }
                    def total = task('total') { ctx -> sleep 200; ctx.log.info('all files counted'); 4 }
                    listFiles >> count >> total
                }
                """)
            .start();
    for (String dag :
        List.of(
            "hello_world",
            "daily_sales",
            "train_models",
            "produce_sales",
            "retrain_model",
            "process_files")) {
      weir.store().setPaused(dag, false);
    }
    for (int day = 1; day <= 4; day++) {
      Instant date = Instant.parse("2025-03-0" + day + "T03:00:00Z");
      runs.add(weir.trigger("train_models", date, "{}"));
      runs.add(weir.trigger("daily_sales", date, day % 2 == 0 ? "{\"region\": \"us\"}" : "{}"));
      runs.add(weir.trigger("process_files", date, "{}"));
      runs.add(weir.trigger("hello_world", date, "{}"));
    }
    for (DagRunRow run : runs) {
      weir.awaitRun(run.dagId(), run.runId());
    }
  }

  @AfterAll
  static void stopWeir() {
    if (weir != null) {
      weir.close();
    }
  }

  @Test
  void should_save_screenshots_of_the_main_pages() throws IOException {
    Path folder = Path.of(System.getProperty(FOLDER)).toAbsolutePath();
    Files.createDirectories(folder);
    browser.logIn(weir, Weir.username(Role.ADMIN), Weir.PASSWORD);
    DagRunRow sales = lastRun("daily_sales");
    assertThat(sales.state()).isEqualTo(RunState.SUCCESS);

    shoot(folder, "dags.png", "/dags", "#dags tr[data-dag-id] span.run-state");
    shoot(folder, "grid.png", "/dags/train_models/grid", "#grid [data-state='success']");
    shoot(folder, "graph.png", "/dags/train_models/graph", "svg#graph g.node[data-state]");
    shoot(folder, "gantt.png", "/dags/process_files/gantt", "#gantt [data-task-id='total']");
    browser.open(
        weir,
        "/dags/daily_sales/runs/"
            + URLEncoder.encode(sales.runId(), StandardCharsets.UTF_8)
            + "/tasks/extract");
    browser.waiting().until(driver -> !browser.await(By.id("log")).getText().isBlank());
    shoot(folder, "task-instance.png", null, "#tries");
    shoot(folder, "details.png", "/dags/daily_sales/details", "#doc");

    assertThat(folder.resolve("grid.png")).isNotEmptyFile();
  }

  private static DagRunRow lastRun(String dagId) {
    DagRunRow last =
        runs.stream().filter(run -> run.dagId().equals(dagId)).reduce((a, b) -> b).orElseThrow();
    return weir.store().run(last.id()).orElseThrow();
  }

  /** Opens the page (unless null), waits for what shows it is drawn, and saves a screenshot. */
  private static void shoot(Path folder, String file, String path, String drawn)
      throws IOException {
    if (path != null) {
      browser.open(weir, path);
    }
    browser.awaitVisible(By.cssSelector(drawn));
    Path shot = browser.driver().getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
  }
}
