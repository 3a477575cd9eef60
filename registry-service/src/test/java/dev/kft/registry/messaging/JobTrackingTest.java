package dev.kft.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.ParameterCount;
import dev.kft.events.StopTraining;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import dev.kft.json.Json;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A job's status, timeline and metrics follow its events; cancelling publishes StopTraining. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@Tag("unit")
class JobTrackingTest {

  @org.junit.jupiter.api.BeforeAll
  static void readWithTheReadToken() {
    // reads need a token; writes say which token they carry
    io.restassured.RestAssured.authentication =
        io.restassured.RestAssured.oauth2("test-read-token");
  }

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  private void awaitStatus(String id, String status) {
    Eventually.await(
        RegistrationTest.WAIT,
        () ->
            given().get("/api/jobs/" + id).then().statusCode(200).body("status", equalTo(status)));
  }

  @Test
  void statusFollowsTheJobFromSubmitToCompletion() throws Exception {
    RegistrationTest.Job job =
        new RegistrationTest.Job(
            "{model_name: tracked-%s}".formatted(java.util.UUID.randomUUID()), 0.9);
    String id = job.id;
    kafka.publish(
        Topics.JOBS,
        new SubmitJob(Event.newId(), id, Instant.now(), Json.mapper().readTree("{}"), "alice"));
    awaitStatus(id, "SUBMITTED");
    kafka.publish(
        Topics.JOB_EVENTS,
        new JobAccepted(Event.newId(), id, Instant.now(), job.prepared.spec(), List.of()));
    awaitStatus(id, "PREPARING");
    kafka.publish(Topics.JOB_EVENTS, job.prepared);
    kafka.publish(
        Topics.JOB_EVENTS,
        new TrainingStarted(
            Event.newId(),
            id,
            Instant.now(),
            "full",
            new ParameterCount(1, 1),
            20,
            0,
            "cpu()",
            "float32",
            List.of()));
    for (int step = 10; step <= 20; step += 10) {
      kafka.publish(
          Topics.JOB_EVENTS,
          new TrainingProgress(
              Event.newId(),
              id,
              Instant.now(),
              step,
              20,
              step / 10.0,
              1.0 / step,
              1e-5,
              0.5,
              30,
              900,
              null,
              null));
    }
    awaitStatus(id, "TRAINING");
    kafka.publish(
        Topics.JOB_EVENTS,
        new TrainingFinished(
            Event.newId(),
            id,
            Instant.now(),
            Reason.COMPLETED,
            20,
            2,
            0.05,
            job.candidate.checkpointUri()));
    awaitStatus(id, "EVALUATING");
    given().auth().oauth2("test-token").post("/api/jobs/{id}/cancel", id).then().statusCode(202);
    StopTraining stop =
        (StopTraining)
            kafka
                .awaitEvents(Topics.CONTROL, e -> e.jobId().equals(id), 1, RegistrationTest.WAIT)
                .get(0);
    org.junit.jupiter.api.Assertions.assertEquals(Reason.CANCELLED, stop.reason());
    kafka.publish(Topics.EVALUATIONS, job.candidate);
    awaitStatus(id, "COMPLETED");
    given()
        .get("/api/jobs/{id}", id)
        .then()
        .body("modelName", equalTo(job.prepared.spec().registry().modelName()))
        .body(
            "timeline.type",
            hasItems(
                "SubmitJob",
                "JobAccepted",
                "DatasetPrepared",
                "TrainingStarted",
                "TrainingFinished",
                "ModelCandidate"))
        .body("metrics.findAll { it.name == 'loss' }.step", equalTo(List.of(10, 20)));
    given().get("/api/jobs?status=COMPLETED").then().statusCode(200).body("jobId", hasItems(id));
    given().get("/api/jobs?status=NOPE").then().statusCode(400);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    double completed =
        metrics
            .lines()
            .filter(l -> l.startsWith("kft_registry_jobs{status=\"completed\"}"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElseThrow();
    long listed =
        given().get("/api/jobs?status=COMPLETED").then().extract().jsonPath().getList("$").size();
    assertEquals(listed, (long) completed, "the gauge counts the completed jobs the API lists");
    given().auth().oauth2("test-token").post("/api/jobs/{id}/cancel", id).then().statusCode(409);
  }
}
