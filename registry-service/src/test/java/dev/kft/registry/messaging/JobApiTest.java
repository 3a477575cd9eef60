package dev.kft.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.Event;
import dev.kft.events.ParameterCount;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.events.TrainingStarted;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Jobs over HTTP: submission with the pipeline's validation, and a job's events as a stream. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@Tag("unit")
class JobApiTest {

  private static final String SPEC =
      """
      model: {source: bert-base-chinese}
      dataset: {uri: chnsenticorp/chnsenticorp_htl_all.csv, text_column: review}
      training: {output_dir: ./results, learning_rate: 3.0e-5}
      registry: {model_name: api-submitted}
      """;

  @TestHTTPResource("/")
  URL root;

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @BeforeAll
  static void readWithTheReadToken() {
    io.restassured.RestAssured.authentication =
        io.restassured.RestAssured.oauth2("test-read-token");
  }

  @Test
  void aValidSpecIsPublishedAsKftSubmitWouldAndTracked() {
    String id = "api-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2("test-token")
        .contentType("application/yaml")
        .body(SPEC.getBytes(StandardCharsets.UTF_8))
        .post("/api/jobs?job_id=" + id)
        .then()
        .statusCode(201)
        .header("Location", endsWith("/api/jobs/" + id))
        .body("jobId", equalTo(id))
        .body("warnings.path", equalTo(List.of("training.output_dir")));
    // the answer's address finds the job at once, before its SubmitJob is read back from Kafka
    given().get("/api/jobs/" + id).then().statusCode(200).body("status", equalTo("SUBMITTED"));
    SubmitJob submitted =
        (SubmitJob)
            kafka
                .awaitEvents(Topics.JOBS, e -> e.jobId().equals(id), 1, RegistrationTest.WAIT)
                .get(0);
    assertEquals("operator", submitted.submittedBy());
    assertEquals("./results", submitted.spec().path("training").path("output_dir").asText());
    RegistrationTest.awaitJob(id, "SUBMITTED");
    given()
        .auth()
        .oauth2("test-token")
        .contentType("application/yaml")
        .body(SPEC.getBytes(StandardCharsets.UTF_8))
        .post("/api/jobs?job_id=" + id)
        .then()
        .statusCode(409)
        .body("detail", containsString("exists already"));
  }

  @Test
  void aBadSpecIsRefusedWithEveryProblemAtItsPath() {
    given()
        .auth()
        .oauth2("test-token")
        .contentType("application/yaml")
        .body(
            SPEC.replace("3.0e-5", "-1")
                .replace("registry: {model_name: api-submitted}", "")
                .getBytes(StandardCharsets.UTF_8))
        .post("/api/jobs")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("problems.path", hasItems("training.learning_rate", "registry"))
        .body("detail", containsString("2 problem(s)"));
    given()
        .auth()
        .oauth2("test-token")
        .contentType("application/yaml")
        .body("model: {source: [".getBytes(StandardCharsets.UTF_8))
        .post("/api/jobs")
        .then()
        .statusCode(422)
        .body("problems[0].message", containsString("line 1"));
    given()
        .auth()
        .none()
        .contentType("application/yaml")
        .body(SPEC.getBytes(StandardCharsets.UTF_8))
        .post("/api/jobs")
        .then()
        .statusCode(401);
    given()
        .contentType("application/yaml")
        .body(SPEC.getBytes(StandardCharsets.UTF_8))
        .post("/api/jobs")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2("test-token")
        .contentType("application/yaml")
        .body(SPEC.getBytes(StandardCharsets.UTF_8))
        .post("/api/jobs?job_id=a b")
        .then()
        .statusCode(400)
        .body("detail", containsString("job_id"));
  }

  @Test
  void eventsArriveInTheOrderTheyHappenedThenLiveThenTheEnd() throws Exception {
    RegistrationTest.Job job = new RegistrationTest.Job("{model_name: sse-" + job() + "}", 0.9);
    // published out of time order: a follower still gets them in the order they happened
    kafka.publish(Topics.JOB_EVENTS, started(job.id, job.prepared.occurredAt().plusSeconds(1)));
    kafka.publish(Topics.JOB_EVENTS, job.prepared);
    Eventually.await(
        RegistrationTest.WAIT,
        () ->
            given()
                .get("/api/jobs/{id}", job.id)
                .then()
                .statusCode(200)
                .body("timeline.size()", equalTo(2)));

    HttpResponse<java.io.InputStream> stream = follow(job.id, null);
    assertEquals(200, stream.statusCode());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      List<String[]> past = read(lines, 2);
      assertEquals("DatasetPrepared", past.get(0)[1]);
      assertEquals("TrainingStarted", past.get(1)[1]);
      kafka.publish(Topics.EVALUATIONS, job.candidate);
      List<String[]> rest = read(lines, 2);
      assertEquals("ModelCandidate", rest.get(0)[1]);
      assertEquals("end", rest.get(1)[1]);
      assertTrue(rest.get(1)[2].contains("\"status\":\"COMPLETED\""), rest.get(1)[2]);
      assertTrue(rest.get(1)[2].contains("\"version\":1"), rest.get(1)[2]);
      assertEquals(null, lines.readLine(), "the stream ends after 'end'");

      // a follower that lost its connection resumes after the last event it saw
      try (BufferedReader resumed =
          new BufferedReader(
              new InputStreamReader(
                  follow(job.id, past.get(1)[0]).body(), StandardCharsets.UTF_8))) {
        List<String[]> again = read(resumed, 2);
        assertEquals("ModelCandidate", again.get(0)[1]);
        assertEquals("end", again.get(1)[1]);
      }
    }
    given().get("/api/jobs/no-such-job/events").then().statusCode(404);
  }

  private static String job() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static TrainingStarted started(String jobId, Instant at) {
    return new TrainingStarted(
        Event.newId(), jobId, at, "full", new ParameterCount(10, 10), 20, 0, "cpu", "fp32", null);
  }

  private HttpResponse<java.io.InputStream> follow(String jobId, String lastEventId)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(root.toURI().resolve("/api/jobs/" + jobId + "/events"))
            .header("Authorization", "Bearer test-read-token")
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** The next {@code count} events: id, name and data of each. */
  private static List<String[]> read(BufferedReader lines, int count) throws Exception {
    List<String[]> events = new ArrayList<>();
    String id = null;
    String name = null;
    StringBuilder data = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("id:")) {
        id = line.substring(3).strip();
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).strip());
      } else if (line.isEmpty() && name != null) {
        events.add(new String[] {id, name, data.toString()});
        id = null;
        name = null;
        data.setLength(0);
        if (events.size() == count) {
          return events;
        }
      }
    }
    return events;
  }
}
