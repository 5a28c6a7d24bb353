package dev.weir.web.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian chromium driven through Debian's chromedriver, one per test class (starting one
 * costs about a second): register it with {@code @RegisterExtension static final Browser browser =
 * new Browser();}. Both binaries are taken from {@code /usr/bin}, so Selenium Manager never
 * downloads anything. Without them the tests are skipped, unless {@code WEIR_REQUIRE_ALL_TESTS} is
 * set (as {@code .ci/run} does), which makes that a failure.
 */
public final class Browser
    implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** How long a test waits for the page to reach a state (a run to finish, a poll to land). */
  static final Duration WAIT = Duration.ofSeconds(30);

  private ChromeDriver driver;
  private Path profile;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    requireBinaries();
    profile = Files.createTempDirectory("weir-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        "--user-data-dir=" + profile);
    // Keeps the page's console, printed when a test fails.
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (profile != null) {
        deleteTree(profile);
      }
    }
  }

  /** A failed test shows where the browser was and what the page's console said. */
  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (driver == null || context.getExecutionException().isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder();
    report
        .append("Browser at ")
        .append(driver.getCurrentUrl())
        .append(" when ")
        .append(context.getDisplayName())
        .append(" failed; its console:\n");
    try {
      for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
        report.append("  ").append(entry.getLevel()).append(' ').append(entry.getMessage());
        report.append('\n');
      }
    } catch (RuntimeException e) {
      report.append("  (unreadable: ").append(e.getMessage()).append(")\n");
    }
    System.err.print(report);
  }

  /** Skips the tests, or fails them under {@code WEIR_REQUIRE_ALL_TESTS}, without a browser. */
  static void requireBinaries() {
    requireBinaries(CHROMIUM, CHROMEDRIVER, System.getenv("WEIR_REQUIRE_ALL_TESTS"));
  }

  static void requireBinaries(Path chromium, Path chromedriver, String requireAllTests) {
    String missing = null;
    if (!Files.isExecutable(chromium)) {
      missing = chromium.toString();
    } else if (!Files.isExecutable(chromedriver)) {
      missing = chromedriver.toString();
    }
    if (missing == null) {
      return;
    }
    String message =
        missing
            + " is missing: run .ci/run as root or install Debian's chromium and chromium-driver"
            + " packages (apt-get install chromium chromium-driver) for the browser tests";
    if (requireAllTests != null && !requireAllTests.isBlank()) {
      throw new AssertionError(message + " (WEIR_REQUIRE_ALL_TESTS requires them)");
    }
    Assumptions.abort(message);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Waits up to {@link #WAIT} for an element to be present, and answers it. */
  public WebElement await(By locator) {
    return waiting().until(ExpectedConditions.presenceOfElementLocated(locator));
  }

  /** Waits up to {@link #WAIT} for an element to be visible, and answers it. */
  public WebElement awaitVisible(By locator) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  public WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.pollingEvery(Duration.ofMillis(100));
    return wait;
  }

  /** Runs JavaScript in the page and answers its result. */
  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Runs asynchronous JavaScript: the script calls {@code arguments[arguments.length-1]}. */
  public Object asyncScript(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
  }

  /**
   * The width in pixels the element takes on screen: zero when it is not drawn, such as an SVG
   * shape made as an HTML element.
   */
  public double drawnWidth(WebElement element) {
    return ((Number) script("return arguments[0].getBoundingClientRect().width", element))
        .doubleValue();
  }

  /** Opens a path of the server under test. */
  public void open(Weir weir, String path) {
    driver.get(weir.baseUrl() + path);
  }

  /** Logs in through the login form as that user and waits for the DAG list. */
  public void logIn(Weir weir, String username, String password) {
    anonymous(weir);
    fillLogin(username, password);
    waiting().until(ExpectedConditions.urlContains("/dags"));
  }

  /** Forgets the session: this browser is logged out of the server under test. */
  public void anonymous(Weir weir) {
    open(weir, "/login"); // cookies can only be dropped for the site on display
    driver.manage().deleteAllCookies();
    open(weir, "/login");
  }

  /** Types a username and password into the login form and submits it. */
  public void fillLogin(String username, String password) {
    WebElement user = await(By.id("username"));
    user.clear();
    user.sendKeys(username);
    WebElement pass = driver.findElement(By.id("password"));
    pass.clear();
    pass.sendKeys(password);
    driver.findElement(By.id("login")).click();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      // Chromium may still be writing into its profile while it exits; the OS cleans temp.
    }
  }
}
