package dev.kft.dataprep.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobRejected;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.job.JobSpecs;
import dev.kft.job.Problem;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Job submissions make the round trip kft.jobs → data-prep → kft.job-events / kft.jobs.dlq. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class JobIntakeConsumerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  private static SubmitJob submit(String jobId, String yaml) {
    return new SubmitJob(Event.newId(), jobId, Instant.now(), JobSpecs.parse(yaml), "test");
  }

  @Test
  void validJobIsAcceptedWithItsDefaults() {
    String jobId = UUID.randomUUID().toString();
    kafka.publish(
        Topics.JOBS,
        submit(
            jobId,
            """
        model: {source: models/bert-base-chinese}
        dataset: {uri: data/reviews.csv, text_column: review}
        registry: {model_name: reviews}
        """));
    JobAccepted accepted =
        (JobAccepted)
            kafka.awaitEvents(Topics.JOB_EVENTS, e -> e.jobId().equals(jobId), 1, WAIT).get(0);
    assertEquals("review", accepted.spec().dataset().textColumn());
    assertEquals(5e-5, accepted.spec().training().learningRate());
  }

  @Test
  void invalidJobIsRejectedWithEveryProblem() {
    String jobId = UUID.randomUUID().toString();
    kafka.publish(
        Topics.JOBS,
        submit(
            jobId,
            """
        model: {source: models/bert-base-chinese}
        dataset: {uri: data/reviews.csv}
        training: {learning_rate: -1, warmup_ratio: 1.5}
        """));
    JobRejected rejected =
        (JobRejected)
            kafka.awaitEvents(Topics.JOB_EVENTS, e -> e.jobId().equals(jobId), 1, WAIT).get(0);
    assertEquals(
        Set.of("training.learning_rate", "training.warmup_ratio", "registry"),
        rejected.problems().stream().map(Problem::path).collect(Collectors.toSet()));
  }

  @Test
  void unparseableRecordGoesToTheDeadLetterTopicAndTheJobIsRejected() {
    String jobId = UUID.randomUUID().toString();
    kafka.publishRaw(
        Topics.JOBS, jobId, "{\"type\":\"SubmitJob\",".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<String, byte[]> dead =
        kafka.awaitRawRecords(Topics.JOBS_DLQ, r -> jobId.equals(r.key()), WAIT).stream()
            .filter(r -> jobId.equals(r.key()))
            .findFirst()
            .orElseThrow();
    String error =
        new String(dead.headers().lastHeader(Topics.ERROR_HEADER).value(), StandardCharsets.UTF_8);
    assertEquals(true, error.startsWith("not a kft event on kft.jobs"), error);
    JobRejected rejected =
        (JobRejected)
            kafka.awaitEvents(Topics.JOB_EVENTS, e -> e.jobId().equals(jobId), 1, WAIT).get(0);
    assertEquals(true, rejected.reason().startsWith("unreadable job submission"));
  }

  @Test
  void healthIsUpWithKafkaAndMetricsArePrometheus() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(containsString("Kafka connection health check"))
        .body(containsString("kft.jobs"));
    kafka.publish(Topics.JOBS, submit(UUID.randomUUID().toString(), "model: 1"));
    kafka.awaitEvents(Topics.JOB_EVENTS, e -> e instanceof JobRejected, 1, WAIT);
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("kft_data_prep_jobs_total{outcome=\"rejected\"}"));
  }
}
