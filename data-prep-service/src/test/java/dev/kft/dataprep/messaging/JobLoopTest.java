package dev.kft.dataprep.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.DatasetPrepared;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Job submissions make the round trip kft.jobs → data-prep → kft.job-events / kft.jobs.dlq. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@Tag("unit")
class JobLoopTest {

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @BeforeAll
  static void writeData() throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "test-data", "intake"));
    StringBuilder csv = new StringBuilder("label,review\n");
    for (int i = 0; i < 40; i++) {
      csv.append(i % 2 == 0 ? "neg" : "pos").append(",评论").append(i).append('\n');
    }
    Files.writeString(dir.resolve("small.csv"), csv.toString());
  }

  @Test
  void validJobIsAcceptedWithItsDefaultsThenPrepared() {
    String yaml = Jobs.job("intake/small.csv", "", "").replace("size: 32", "size: 4");
    DatasetPrepared prepared =
        assertInstanceOf(DatasetPrepared.class, Jobs.submitAndAwait(kafka, yaml));
    List<Event> events =
        kafka.awaitEvents(Topics.JOB_EVENTS, e -> e.jobId().equals(prepared.jobId()), 2, Jobs.WAIT);
    JobAccepted accepted = assertInstanceOf(JobAccepted.class, events.get(0));
    assertEquals("review", accepted.spec().dataset().textColumn());
    assertEquals(5e-5, accepted.spec().training().learningRate());
    assertEquals(List.of("neg", "pos"), prepared.labelNames(), "string labels in code point order");
  }

  @Test
  void aJobSubmittedTwiceIsPreparedOnce() {
    String yaml = Jobs.job("intake/small.csv", "", "").replace("size: 32", "size: 4");
    String jobId = UUID.randomUUID().toString();
    SubmitJob submit =
        new SubmitJob(Event.newId(), jobId, Instant.now(), JobSpecs.parse(yaml), "test");
    kafka.publish(Topics.JOBS, submit);
    kafka.publish(Topics.JOBS, submit);
    Event later = Jobs.submitAndAwait(kafka, yaml);
    assertInstanceOf(DatasetPrepared.class, later);
    List<Event> events =
        kafka.awaitEvents(
            Topics.JOB_EVENTS,
            e -> e.jobId().equals(jobId) || e.jobId().equals(later.jobId()),
            4,
            Jobs.WAIT);
    assertEquals(
        2,
        events.stream().filter(e -> e.jobId().equals(jobId)).count(),
        "one JobAccepted and one DatasetPrepared: " + events);
  }

  /**
   * Another instance settled the job after this one started (its partition moved here since): the
   * settlement on kft.job-events is found, and the job is not prepared again.
   */
  @Test
  void aJobSettledByAnotherInstanceIsNotPreparedAgain() {
    String yaml = Jobs.job("intake/small.csv", "", "").replace("size: 32", "size: 4");
    String jobId = UUID.randomUUID().toString();
    kafka.publish(
        Topics.JOB_EVENTS,
        new JobRejected(Event.newId(), jobId, Instant.now(), "settled elsewhere", List.of()));
    kafka.publish(
        Topics.JOBS,
        new SubmitJob(Event.newId(), jobId, Instant.now(), JobSpecs.parse(yaml), "test"));
    Event later = Jobs.submitAndAwait(kafka, yaml);
    assertInstanceOf(DatasetPrepared.class, later);
    List<Event> events =
        kafka.awaitEvents(
            Topics.JOB_EVENTS,
            e -> e.jobId().equals(jobId) || e.jobId().equals(later.jobId()),
            3,
            Jobs.WAIT);
    assertEquals(
        List.of("settled elsewhere"),
        events.stream()
            .filter(e -> e.jobId().equals(jobId))
            .map(e -> assertInstanceOf(JobRejected.class, e).reason())
            .toList(),
        "nothing published for the job again: " + events);
  }

  @Test
  void invalidJobIsRejectedWithEveryProblem() {
    Event outcome =
        Jobs.submitAndAwait(
            kafka,
            """
        model: {source: bert-base-chinese}
        dataset: {uri: intake/small.csv}
        training: {learning_rate: -1, warmup_ratio: 1.5}
        """);
    JobRejected rejected = assertInstanceOf(JobRejected.class, outcome);
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
        kafka.awaitRawRecords(Topics.JOBS_DLQ, r -> jobId.equals(r.key()), Jobs.WAIT).stream()
            .filter(r -> jobId.equals(r.key()))
            .findFirst()
            .orElseThrow();
    String error =
        new String(dead.headers().lastHeader(Topics.ERROR_HEADER).value(), StandardCharsets.UTF_8);
    assertTrue(error.startsWith("not a kft event on kft.jobs"), error);
    JobRejected rejected =
        (JobRejected)
            kafka.awaitEvents(Topics.JOB_EVENTS, e -> e.jobId().equals(jobId), 1, Jobs.WAIT).get(0);
    assertTrue(rejected.reason().startsWith("unreadable job submission"));
  }

  @Test
  void healthIsUpWithKafkaAndMetricsArePrometheus() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(containsString("Kafka connection health check"))
        .body(containsString("kft-data-prep-jobs.secondsSinceLastPoll"));
    Jobs.submitAndAwait(kafka, "model: 1");
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("kft_data_prep_jobs_total{outcome=\"rejected\"}"));
  }
}
