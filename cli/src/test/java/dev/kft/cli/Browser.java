package dev.kft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through Debian's {@code chromedriver}, for the console's browser
 * tests. Where either is missing the tests are skipped with a message saying what to install,
 * unless {@code KFT_REQUIRE_BROWSER=true} (CI), where that is a failure instead.
 */
final class Browser implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of("target/screenshots");

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts the browser, or skips (fails on CI) where Chromium or its driver is not installed. */
  static Browser start() {
    Optional<String> missing =
        !Files.isExecutable(CHROMIUM)
            ? Optional.of(CHROMIUM.toString())
            : !Files.isExecutable(DRIVER) ? Optional.of(DRIVER.toString()) : Optional.empty();
    if (missing.isPresent()) {
      String message =
          "browser tests need Debian's chromium and chromium-driver ("
              + missing.get()
              + " is missing): apt-get install chromium chromium-driver";
      if ("true".equals(System.getenv("KFT_REQUIRE_BROWSER"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1360,1000",
        "--lang=en-US");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    return new Browser(new ChromeDriver(service, options));
  }

  /** Waits up to {@code timeout} for {@code condition} to give something other than null/false. */
  <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    // live pages replace what changed: an element found a moment ago may be gone
    return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** Clicks the element {@code css} finds, finding it again if the page replaced it meanwhile. */
  void click(String css) {
    await(
        Duration.ofSeconds(20),
        d -> {
          d.findElement(By.cssSelector(css)).click();
          return true;
        });
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /**
   * Saves the whole page, below the window's edge too, as a PNG file under {@link #SCREENSHOTS}.
   */
  Path screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Number width = (Number) driver.executeScript("return document.documentElement.scrollWidth;");
    Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight;");
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    return file;
  }

  /** Runs a step; when it fails, keeps a screenshot and the page's HTML beside the others. */
  void step(String name, ThrowingRunnable step) throws Exception {
    try {
      step.run();
    } catch (Exception | AssertionError e) {
      try {
        screenshot("failed-" + name);
        Files.writeString(SCREENSHOTS.resolve("failed-" + name + ".html"), driver.getPageSource());
      } catch (Exception ignored) {
        // the step's own failure is the one worth reporting
      }
      throw e;
    }
  }

  /** A step of a browser test. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
