package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser on the real local stack: a user sets the token, submits a bad
 * spec and sees the problem at its line, submits a good one, watches its progress advance in the
 * job list without reloading, finds the job's curves, confusion matrix and data summary, moves an
 * alias and sees it in the history, reads the model card, and cancels a second job as it trains.
 * Screenshots of the pages are kept under {@code target/screenshots} (the README's pictures come
 * from there), and of any failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("e2e")
class ConsoleBrowserTest {

  private static final Duration QUICK = Duration.ofSeconds(20);
  private static final Duration JOB = Duration.ofMinutes(5);

  private Browser browser;
  private TestStack test;
  private String registry;
  private String token;

  @BeforeAll
  void up() throws Exception {
    browser = Browser.start();
    test = TestStack.up("console", 1);
    Settings settings = Settings.load();
    registry = settings.registry();
    token = settings.token();
  }

  @AfterAll
  void down() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (test != null) {
      test.close();
    }
  }

  private static String spec(String model, String learningRate) {
    return """
        # a tiny model on the real ChnSentiCorp data
        model:
          source: bert-base-chinese
          init: random
          config_overrides: {num_hidden_layers: 1, hidden_size: 32, num_attention_heads: 2,
            intermediate_size: 64}
          max_length: 32
        dataset:
          uri: chnsenticorp/chnsenticorp_htl_all.csv
          text_column: review
          label_column: label
        training:
          learning_rate: %s
          per_device_train_batch_size: 32
          per_device_eval_batch_size: 256
          max_steps: 600
          logging_steps: 3
          eval_strategy: steps
          eval_steps: 200
          save_steps: 200
        registry: {model_name: %s, approval: 'eval_accuracy >= 0.0'}
        """
        .formatted(learningRate, model);
  }

  @Test
  void aUserSubmitsWatchesAndPromotesAJobFromTheConsole() throws Exception {
    String model = "console-" + UUID.randomUUID().toString().substring(0, 8);
    browser.step("token", this::useTheToken);
    browser.step("bad-spec", this::aBadSpecShowsItsProblemAtItsLine);
    String jobId = submit(spec(model, "0.002"));
    browser.step("progress", () -> progressAdvancesWithoutReloading(jobId));
    browser.step("job-page", () -> theJobPageShowsCurvesMatrixAndData(jobId));
    browser.step("alias", () -> anAliasMovedShowsInItsHistory(model));
    browser.step("card", this::theModelCardIsRendered);
    browser.step("cancel", () -> aRunningJobIsCancelledFromItsPage(model));
  }

  private void aRunningJobIsCancelledFromItsPage(String model) throws Exception {
    browser.click("#nav-submit");
    String jobId = submit(spec(model, "0.002").replace("max_steps: 600", "max_steps: 100000"));
    browser.await(JOB, d -> d.findElement(By.id("job-status")).getText().equals("TRAINING"));
    browser.click("#cancel");
    browser.driver.switchTo().alert().accept();
    browser.await(JOB, d -> d.findElement(By.id("job-status")).getText().equals("CANCELLED"));
    assertTrue(
        browser.driver.findElements(By.id("cancel")).isEmpty(), "an ended job offers no cancel");
    assertTrue(browser.driver.getCurrentUrl().endsWith(jobId));
  }

  private void useTheToken() {
    browser.driver.get(registry + "/");
    browser.await(QUICK, d -> d.getCurrentUrl().contains("/console/"));
    browser.find("#token").sendKeys(token);
    browser.find("#token-form button").click();
    browser.await(QUICK, d -> !d.findElements(By.cssSelector("#jobs")).isEmpty());
  }

  private void type(String spec) {
    browser.await(QUICK, d -> d.findElement(By.id("spec-text")));
    browser.driver.executeScript(
        "document.getElementById('spec-text').value = arguments[0];", spec);
  }

  private void aBadSpecShowsItsProblemAtItsLine() throws Exception {
    browser.click("#nav-submit");
    String bad = spec("console-bad", "-1");
    type(bad);
    browser.find("#submit").click();
    int line = bad.lines().toList().indexOf("  learning_rate: -1") + 1;
    WebElement marked =
        browser.await(
            QUICK, d -> d.findElement(By.cssSelector("li[data-line='" + line + "'].has-problem")));
    assertTrue(
        marked.getText().contains("training.learning_rate"),
        "line " + line + ": " + marked.getText());
    assertEquals(
        1,
        browser.driver.findElements(By.cssSelector("li.has-problem")).size(),
        "only the bad line is marked");
    assertTrue(browser.driver.getCurrentUrl().endsWith("#/submit"), "nothing was submitted");
    browser.screenshot("console-submit-error");
  }

  private String submit(String spec) throws Exception {
    type(spec);
    browser.find("#submit").click();
    browser.await(QUICK, d -> d.getCurrentUrl().contains("#/jobs/"));
    String url = browser.driver.getCurrentUrl();
    return url.substring(url.indexOf("#/jobs/") + "#/jobs/".length());
  }

  private String stepOf(String jobId) {
    List<WebElement> cells =
        browser.driver.findElements(By.cssSelector("tr[data-job='" + jobId + "'] .step"));
    return cells.isEmpty() ? "" : cells.get(0).getText();
  }

  private void progressAdvancesWithoutReloading(String jobId) throws Exception {
    browser.click("#nav-jobs");
    browser.await(QUICK, d -> !d.findElements(By.cssSelector("#jobs")).isEmpty());
    browser.driver.executeScript("window.kftNotReloaded = true;");
    String first = browser.await(JOB, d -> stepOf(jobId).isEmpty() ? null : stepOf(jobId));
    String later = browser.await(JOB, d -> stepOf(jobId).equals(first) ? null : stepOf(jobId));
    assertNotEquals(first, later);
    Object bar =
        browser.driver.executeScript(
            "return document.querySelector(arguments[0]).style.width;",
            "tr[data-job='" + jobId + "'] .bar > span");
    assertTrue(String.valueOf(bar).endsWith("%"), "the progress bar is drawn: " + bar);
    assertEquals(
        Boolean.TRUE,
        browser.driver.executeScript("return window.kftNotReloaded === true;"),
        "the page was not reloaded");
    browser.screenshot("console-jobs");
  }

  private boolean shown(String css) {
    return Boolean.TRUE.equals(
        browser.driver.executeScript(
            "const img = document.querySelector(arguments[0]);"
                + " return !!img && img.src.startsWith('blob:') && img.complete"
                + " && img.naturalWidth > 0;",
            css));
  }

  private void theJobPageShowsCurvesMatrixAndData(String jobId) throws Exception {
    browser.click("tr[data-job='" + jobId + "'] a");
    browser.await(JOB, d -> d.findElement(By.id("job-status")).getText().equals("COMPLETED"));
    browser.await(QUICK, d -> !d.findElements(By.id("job-version")).isEmpty());
    for (String chart : List.of("loss", "evaluation", "learning_rate", "confusion_matrix")) {
      browser.await(QUICK, d -> shown("img.chart-" + chart));
    }
    String data = browser.find("#data-summary").getText();
    assertTrue(data.contains("rows read") && data.contains("train"), data);
    assertTrue(browser.find("#spec").getAttribute("textContent").contains("max_steps: 600"));
    browser.screenshot("console-job");
  }

  private void anAliasMovedShowsInItsHistory(String model) throws Exception {
    browser.click("#job-version");
    browser.await(QUICK, d -> !d.findElements(By.id("alias-form")).isEmpty());
    browser.await(QUICK, d -> shown("#metric-chart"));
    browser.find("#alias-name").sendKeys("champion");
    new Select(browser.find("#alias-version")).selectByValue("1");
    browser.find("#alias-form button").click();
    WebElement moved =
        browser.await(
            QUICK,
            d ->
                d.findElements(By.cssSelector("#alias-history tbody tr")).stream()
                    .filter(r -> r.getText().contains("champion"))
                    .findFirst()
                    .orElse(null));
    assertTrue(moved.getText().contains("v1"), moved.getText());
    assertTrue(
        browser.find("#versions tbody tr[data-version='1']").getText().contains("champion"),
        "the version lists its new alias");
    assertTrue(browser.driver.getCurrentUrl().contains(model));
    browser.screenshot("console-model");
    browser.click("#nav-models");
    WebElement listed =
        browser.await(QUICK, d -> d.findElement(By.cssSelector("tr[data-model='" + model + "']")));
    assertTrue(listed.getText().contains("champion → v1"), listed.getText());
    browser.click("tr[data-model='" + model + "'] a");
    browser.await(QUICK, d -> !d.findElements(By.id("versions")).isEmpty());
  }

  private void theModelCardIsRendered() throws Exception {
    browser.click("#versions tbody tr[data-version='1'] .show-card");
    browser.await(QUICK, d -> !d.findElements(By.cssSelector("#card table")).isEmpty());
    browser.await(QUICK, d -> shown("#card img"));
    String lineage = browser.find("#lineage").getText();
    assertTrue(
        lineage.contains("Dataset sha256") && lineage.contains("kft.batches partition"), lineage);
    browser.screenshot("console-card");
  }
}
