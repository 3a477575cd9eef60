package dev.kft.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import dev.kft.events.StopTraining;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.local.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A job's events are found in the partition its key goes to, as the producer put them there. */
@Tag("unit")
class TopicScanTest {

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void aKeyedLookupReadsTheKeysPartitionAndFindsEveryEventOfTheKey() throws Exception {
    String topic = "scan-" + UUID.randomUUID();
    String servers = broker.bootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
      admin.createTopics(List.of(new NewTopic(topic, 5, (short) 1))).all().get();
    }
    List<String> jobs = new ArrayList<>();
    List<Integer> partitions = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 20; i++) {
        String job = "job-" + (i % 10);
        StopTraining stop =
            new StopTraining(Event.newId(), job, Instant.now(), Reason.CANCELLED, "#" + i, "t");
        RecordMetadata m =
            producer
                .send(
                    new ProducerRecord<>(topic, job, new EventSerializer().serialize(topic, stop)))
                .get();
        jobs.add(job);
        partitions.add(m.partition());
      }
    }
    assertTrue(partitions.stream().distinct().count() > 1, "the jobs spread over partitions");
    for (String job : List.of("job-3", "job-7")) {
      List<String> found = new ArrayList<>();
      TopicScan.eventsOf(
          KafkaConnection.plaintext(servers),
          topic,
          job,
          Duration.ofSeconds(30),
          e -> found.add(e.jobId() + ((StopTraining) e).detail()));
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        if (jobs.get(i).equals(job)) {
          expected.add(job + "#" + i);
        }
      }
      assertEquals(expected, found);
    }
  }
}
