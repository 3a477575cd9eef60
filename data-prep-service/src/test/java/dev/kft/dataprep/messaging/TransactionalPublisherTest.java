package dev.kft.dataprep.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kft.messaging.TransactionalPublisher;
import dev.kft.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A job's records become visible together or not at all: a preparation that breaks off midway, or a
 * producer that dies before committing, leaves nothing a read_committed reader can see.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class TransactionalPublisherTest {

  private final String servers = KafkaBrokerResource.broker().bootstrapServers();

  private List<String> read(String topic, String isolation) {
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ConsumerConfig.GROUP_ID_CONFIG,
                UUID.randomUUID().toString(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                isolation),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Instant end = Instant.now().plusSeconds(5);
      while (Instant.now().isBefore(end)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          keys.add(r.key());
        }
      }
    }
    return keys;
  }

  @Test
  void aTransactionBrokenOffMidwayLeavesNothingVisible() throws Exception {
    String topic = "tx-test-" + UUID.randomUUID();
    try (TransactionalPublisher publisher = new TransactionalPublisher(servers, "tx-a")) {
      assertThrows(
          IllegalStateException.class,
          () ->
              publisher.inTransaction(
                  tx -> {
                    for (int i = 0; i < 5; i++) {
                      tx.send(topic, "job-broken", new byte[] {(byte) i});
                    }
                    tx.flush();
                    throw new IllegalStateException("preparation failed after five batches");
                  },
                  null,
                  null));
      publisher.inTransaction(tx -> tx.send(topic, "job-whole", new byte[] {1}), null, null);
    }
    assertEquals(6, read(topic, "read_uncommitted").size(), "the broken records were written");
    assertEquals(List.of("job-whole"), read(topic, "read_committed"));
  }

  @Test
  void aProducerThatDiesBeforeCommittingIsFencedAndItsRecordsNeverAppear() throws Exception {
    String topic = "tx-test-" + UUID.randomUUID();
    TransactionalPublisher dying = new TransactionalPublisher(servers, "tx-b");
    Thread crash =
        new Thread(
            () -> {
              try {
                dying.inTransaction(
                    tx -> {
                      tx.send(topic, "job-crashed", new byte[] {0});
                      tx.flush();
                      Thread.sleep(60_000);
                    },
                    null,
                    null);
              } catch (Exception e) {
                // The "crashed" instance's fate does not matter; its successor's does.
              }
            });
    crash.start();
    Thread.sleep(1000);
    try (TransactionalPublisher successor = new TransactionalPublisher(servers, "tx-b")) {
      successor.inTransaction(tx -> tx.send(topic, "job-redone", new byte[] {1}), null, null);
    }
    crash.interrupt();
    crash.join(10_000);
    dying.close();
    assertEquals(List.of("job-redone"), read(topic, "read_committed"));
  }
}
