package dev.kft.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.ConfusionMatrix;
import dev.kft.events.Event;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingProgress;
import dev.kft.registry.domain.JobStatus;
import dev.kft.registry.persistence.JobRepository;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's own API: job pages with progress, the live job list, charts, cards, validation. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@Tag("unit")
class ConsoleApiTest {

  @TestHTTPResource("/")
  URL root;

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @Inject JobRepository jobs;

  @BeforeAll
  static void readWithTheReadToken() {
    io.restassured.RestAssured.authentication =
        io.restassured.RestAssured.oauth2("test-read-token");
  }

  private static TrainingProgress progress(String jobId, Instant at, long step, double loss) {
    return new TrainingProgress(
        Event.newId(), jobId, at, step, 100, step / 50.0, loss, 1e-3, 1.0, 64, 1000, null, null);
  }

  private static CheckpointEvaluated evaluated(
      String jobId, Instant at, long step, double accuracy, boolean best, int patienceLeft) {
    return new CheckpointEvaluated(
        Event.newId(),
        jobId,
        at,
        step,
        step / 50.0,
        "file:///nowhere/checkpoint-" + step,
        Map.of("eval_accuracy", accuracy, "eval_loss", 1 - accuracy),
        new ConfusionMatrix(List.of("差评", "好评"), List.of(List.of(7L, 3L), List.of(2L, 8L))),
        null,
        best,
        patienceLeft);
  }

  @Test
  void jobsArePagedNewestFirstWithTheirProgressAndTimeLeft() throws Exception {
    RegistrationTest.Job job = new RegistrationTest.Job("{model_name: paged}", 0.9);
    Instant t = job.prepared.occurredAt();
    kafka.publish(Topics.JOB_EVENTS, job.prepared);
    kafka.publish(Topics.JOB_EVENTS, progress(job.id, t.plusSeconds(10), 10, 0.7));
    kafka.publish(Topics.JOB_EVENTS, progress(job.id, t.plusSeconds(20), 20, 0.6));
    // 10 steps took 10 s: the 80 left take 80 s
    Eventually.await(
        RegistrationTest.WAIT,
        () ->
            given()
                .get("/api/console/jobs/{id}", job.id)
                .then()
                .statusCode(200)
                .body("job.progress.step", equalTo(20))
                .body("job.progress.totalSteps", equalTo(100))
                .body("job.progress.loss", equalTo(0.6f))
                .body("job.progress.etaSeconds", equalTo(80))
                .body("spec", containsString("model_name: paged"))
                .body("timeline.type", equalTo(List.of("DatasetPrepared"))));

    JsonPath all =
        given().get("/api/console/jobs?size=100").then().statusCode(200).extract().jsonPath();
    long total = all.getLong("total");
    assertTrue(total >= 1);
    List<String> ids = all.getList("jobs.jobId");
    assertTrue(ids.contains(job.id), ids.toString());
    List<String> created = all.getList("jobs.createdAt");
    for (int i = 1; i < created.size(); i++) {
      assertTrue(
          Instant.parse(created.get(i - 1)).compareTo(Instant.parse(created.get(i))) >= 0,
          "newest first: " + created);
    }
    if (total >= 2) {
      // pages of one are the list cut into ones; asked again if a job arrived meanwhile
      Eventually.await(
          RegistrationTest.WAIT,
          () -> {
            JsonPath two = given().get("/api/console/jobs?size=2").jsonPath();
            JsonPath first = given().get("/api/console/jobs?size=1&page=1").jsonPath();
            JsonPath second = given().get("/api/console/jobs?size=1&page=2").jsonPath();
            assertEquals(two.getLong("total"), second.getLong("total"), "no job arrived");
            assertEquals(two.getString("jobs[0].jobId"), first.getString("jobs[0].jobId"));
            assertEquals(two.getString("jobs[1].jobId"), second.getString("jobs[0].jobId"));
          });
    }
    given()
        .get("/api/console/jobs?size=1000")
        .then()
        .statusCode(400)
        .body("detail", containsString("size"));
    given()
        .get("/api/console/jobs?page=0")
        .then()
        .statusCode(400)
        .body("detail", containsString("page"));
    given()
        .get("/api/console/jobs?status=dancing")
        .then()
        .statusCode(400)
        .body("detail", containsString("status"));
    given().auth().none().get("/api/console/jobs").then().statusCode(401);
    given().get("/api/console/jobs/no-such-job").then().statusCode(404);
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void theLiveListReportsEachJobAsItMovesAndAsItEnds() throws Exception {
    RegistrationTest.Job job = new RegistrationTest.Job("{model_name: live}", 0.9);
    HttpResponse<java.io.InputStream> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(root.toURI().resolve("/api/console/jobs/live"))
                    .header("Authorization", "Bearer test-read-token")
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertTrue(lines.readLine().startsWith(":"), "the stream opens with a comment");
      kafka.publish(Topics.JOB_EVENTS, job.prepared);
      kafka.publish(Topics.JOB_EVENTS, progress(job.id, Instant.now(), 30, 0.5));
      long step = -1;
      for (String line = lines.readLine(); line != null && step != 30; line = lines.readLine()) {
        if (line.startsWith("data:") && line.contains(job.id)) {
          JsonPath row = JsonPath.from(line.substring(5));
          assertEquals(job.id, row.getString("jobId"));
          step = row.get("progress") == null ? -1 : row.getLong("progress.step");
        }
      }
      assertEquals(30, step);
      // the registry ends jobs without an event of their own (not approved, registered): the
      // list still hears of it
      jobs.end(job.id, JobStatus.NOT_APPROVED, "eval_f1 0.9 < 0.95");
      String status = "";
      for (String line = lines.readLine();
          line != null && !status.equals("NOT_APPROVED");
          line = lines.readLine()) {
        if (line.startsWith("data:") && line.contains(job.id)) {
          status = JsonPath.from(line.substring(5)).getString("status");
        }
      }
      assertEquals("NOT_APPROVED", status);
    }
  }

  @Test
  void aJobsCurvesMarkTheBestCheckpointAndTheEarlyStoppingDecision() throws Exception {
    RegistrationTest.Job job = new RegistrationTest.Job("{model_name: curves}", 0.9);
    Instant t = job.prepared.occurredAt();
    kafka.publish(Topics.JOB_EVENTS, job.prepared);
    for (int step = 5; step <= 30; step += 5) {
      kafka.publish(Topics.JOB_EVENTS, progress(job.id, t.plusSeconds(step), step, 1.0 / step));
    }
    kafka.publish(Topics.EVALUATIONS, evaluated(job.id, t.plusSeconds(11), 10, 0.8, true, 2));
    kafka.publish(Topics.EVALUATIONS, evaluated(job.id, t.plusSeconds(21), 20, 0.7, false, 1));
    kafka.publish(Topics.EVALUATIONS, evaluated(job.id, t.plusSeconds(31), 30, 0.7, false, 0));
    kafka.publish(
        Topics.JOB_EVENTS,
        new TrainingFinished(
            Event.newId(),
            job.id,
            t.plusSeconds(32),
            TrainingFinished.Reason.EARLY_STOPPED,
            30,
            0.6,
            0.03,
            null));
    String base = "/api/console/jobs/" + job.id + "/charts/";
    Eventually.await(
        RegistrationTest.WAIT,
        () ->
            given()
                .get(base + "loss.svg")
                .then()
                .statusCode(200)
                .contentType("image/svg+xml")
                .body(containsString("best: step 10"))
                .body(containsString("early stopping decided: step 30")));
    String loss = given().get(base + "loss.svg").asString();
    assertTrue(loss.contains("data-series=\"training loss\""), loss);
    assertTrue(loss.contains("data-series=\"validation loss\""), loss);
    assertEquals(6, points(loss, "training loss"), "one point per report");
    String evaluation = given().get(base + "evaluation.svg").asString();
    assertTrue(evaluation.contains("data-series=\"eval_accuracy\""), evaluation);
    assertTrue(!evaluation.contains("data-series=\"eval_loss\""), "losses are on the loss chart");
    given()
        .get(base + "confusion_matrix.svg")
        .then()
        .statusCode(200)
        .body(containsString("好评"))
        .body(containsString("Validation confusion matrix, step 10"));
    given()
        .get(base + "learning_rate.svg")
        .then()
        .statusCode(200)
        .body(containsString("learning rate"));
    given().get(base + "pie.svg").then().statusCode(404).body("detail", containsString("chart"));
  }

  private static int points(String svg, String series) {
    int at = svg.indexOf("data-series=\"" + series + "\"");
    int from = svg.indexOf("points=\"", at) + "points=\"".length();
    return svg.substring(from, svg.indexOf('"', from)).split(" ").length;
  }

  @Test
  void aRegisteredModelHasItsMetricAcrossVersionsAndItsCardAsSafeHtml() throws Exception {
    String name = "console-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    for (double f1 : new double[] {0.7, 0.8}) {
      RegistrationTest.Job job =
          new RegistrationTest.Job(
              "{model_name: " + name + ", description: '<script>x</script>'}", f1);
      kafka.publish(Topics.JOB_EVENTS, job.prepared);
      kafka.publish(Topics.JOB_EVENTS, progress(job.id, Instant.now(), 10, 0.5));
      kafka.publish(Topics.EVALUATIONS, job.candidate);
      RegistrationTest.awaitJob(job.id, "COMPLETED");
    }
    String chart =
        given()
            .get("/api/console/models/" + name + "/charts/f1.svg")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(chart.contains("data-series=\"validation f1\""), chart);
    assertEquals(2, points(chart, "validation f1"), "one point per version");
    String card =
        given()
            .get("/api/console/models/" + name + "/versions/2/card")
            .then()
            .statusCode(200)
            .contentType(containsString("text/html"))
            .extract()
            .asString();
    assertTrue(card.contains("<table>"), card);
    assertTrue(
        card.startsWith("<details class=\"front-matter\"><summary>Hugging Face metadata")
            && card.contains("library_name: \"transformers\""),
        "the hub's metadata is folded away, not rendered as prose: " + card);
    assertTrue(!card.contains("<script>"), "markup in a card is shown as text: " + card);
    String picture = "/api/2.0/mlflow-artifacts/artifacts/models/" + name + "/2/loss.svg";
    assertTrue(card.contains("src=\"" + picture + "\""), card);
    given().get(picture).then().statusCode(200).body(containsString("<svg"));
    given().get("/api/console/models/" + name + "/versions/9/card").then().statusCode(404);
    given().get("/api/console/models/no-such-model/charts/f1.svg").then().statusCode(404);
  }

  @Test
  void validationNamesEachProblemsLineAndNeedsOnlyTheReadToken() {
    String spec =
        """
        model: {source: bert-base-chinese}
        dataset: {uri: d.csv}
        registry: {model_name: checked}
        training:
          learning_rate: -1
        """;
    JsonPath checked =
        given()
            .contentType("application/yaml")
            .body(spec.getBytes(StandardCharsets.UTF_8))
            .post("/api/console/validate")
            .then()
            .statusCode(200)
            .body("valid", equalTo(false))
            .extract()
            .jsonPath();
    List<Map<String, Object>> problems = checked.getList("problems");
    Map<String, Object> rate =
        problems.stream()
            .filter(p -> p.get("path").equals("training.learning_rate"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(problems.toString()));
    assertEquals(5, rate.get("line"));
    given()
        .contentType("application/yaml")
        .body("model:\n  source: [x\n".getBytes(StandardCharsets.UTF_8))
        .post("/api/console/validate")
        .then()
        .statusCode(200)
        .body("valid", equalTo(false))
        .body("problems[0].line", not(equalTo(0)));
    given()
        .contentType("application/yaml")
        .body(spec.replace("-1", "3.0e-5").getBytes(StandardCharsets.UTF_8))
        .post("/api/console/validate")
        .then()
        .statusCode(200)
        .body("valid", equalTo(true))
        .body("problems", equalTo(List.of()));
  }

  @Test
  void theConsoleIsServedWithoutATokenAndWorksOffline() {
    given()
        .auth()
        .none()
        .get("/console/")
        .then()
        .statusCode(200)
        .body(containsString("kft console"))
        .header("Content-Security-Policy", containsString("script-src 'self'"));
    given()
        .get("/api/console/jobs")
        .then()
        .header("Content-Security-Policy", containsString("default-src 'self'"));
    // nothing is fetched from elsewhere: every URL the page uses is the registry's own
    for (String file : List.of("index.html", "console.js", "console.css")) {
      String text =
          given().auth().none().get("/console/" + file).then().statusCode(200).extract().asString();
      assertTrue(
          !text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
          file + " names an outside address");
    }
    given()
        .auth()
        .none()
        .redirects()
        .follow(false)
        .get("/")
        .then()
        .statusCode(303)
        .header("Location", containsString("/console/"));
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths.keySet()", hasItem("/api/console/jobs"));
  }
}
