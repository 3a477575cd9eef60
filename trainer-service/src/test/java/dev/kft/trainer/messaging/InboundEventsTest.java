package dev.kft.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events published on the trainer's topics reach it through the broker; health and metrics are up.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class InboundEventsTest {

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();
  private final String jobId = UUID.randomUUID().toString();

  private void awaitCount(String topic, String type) {
    String line =
        "kft_trainer_events_received_total{topic=\"" + topic + "\",type=\"" + type + "\"}";
    Eventually.await(
        Duration.ofSeconds(60),
        () -> given().get("/q/metrics").then().statusCode(200).body(containsString(line)));
  }

  @Test
  void readinessIncludesKafka() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(containsString("Kafka connection health check"));
  }

  @Test
  void receivesJobFailedFromJobEvents() {
    kafka.publish(
        Topics.JOB_EVENTS,
        new JobFailed(
            Event.newId(), jobId, Instant.now(), "data-prep", "read", "no such file", null));
    awaitCount(Topics.JOB_EVENTS, "JobFailed");
  }

  @Test
  void receivesStopTrainingFromControl() {
    kafka.publish(
        Topics.CONTROL,
        new StopTraining(
            Event.newId(),
            jobId,
            Instant.now(),
            TrainingFinished.Reason.CANCELLED,
            "test",
            "test"));
    awaitCount(Topics.CONTROL, "StopTraining");
  }

  @Test
  void skipsRecordsThatAreNotEventsAndKeepsReading() {
    kafka.publishRaw(Topics.JOB_EVENTS, jobId, "not json".getBytes(StandardCharsets.UTF_8));
    kafka.publish(
        Topics.JOB_EVENTS,
        new JobFailed(
            Event.newId(), jobId, Instant.now(), "trainer", "train", "after garbage", 1L));
    awaitCount(Topics.JOB_EVENTS, "JobFailed");
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }
}
