package dev.kft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kft.events.Event;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.local.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class KafkaBrokerTest {

  @Test
  void eventsRoundTripThroughTheInJvmBroker() {
    try (KafkaBroker broker = KafkaBroker.start()) {
      KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
      StopTraining stop =
          new StopTraining(
              Event.newId(), "job-7", Instant.now(), TrainingFinished.Reason.CANCELLED, "x", "me");
      assertEquals(0, client.publish(Topics.CONTROL, stop).offset());
      List<Event> read =
          client.awaitEvents(
              Topics.CONTROL, e -> e.jobId().equals("job-7"), 1, Duration.ofSeconds(30));
      assertEquals(List.of(stop), read);
    }
  }
}
