package dev.kft.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kft.local.KafkaBroker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A job's records become visible together or not at all: a preparation that breaks off midway, or a
 * producer that dies before committing, leaves nothing a read_committed reader can see.
 */
@Tag("unit")
class TransactionalPublisherTest {

  private static KafkaBroker broker;
  private static String servers;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
    servers = broker.bootstrapServers();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /**
   * The keys of every record of {@code topic} a reader with {@code isolation} sees, read up to the
   * end offsets that reader is given (for read_committed, the last stable offset, which lies past
   * every transaction that was committed or aborted).
   */
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
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plusSeconds(30);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          keys.add(record.key());
        }
      }
    }
    return keys;
  }

  @Test
  void aTransactionBrokenOffMidwayLeavesNothingVisible() throws Exception {
    String topic = "tx-test-" + UUID.randomUUID();
    try (TransactionalPublisher publisher =
        new TransactionalPublisher(KafkaConnection.plaintext(servers), "tx-a")) {
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
  void aCheckedFailureAbortsTheTransactionAndThePublisherGoesOn() throws Exception {
    String topic = "tx-test-" + UUID.randomUUID();
    try (TransactionalPublisher publisher =
        new TransactionalPublisher(KafkaConnection.plaintext(servers), "tx-c")) {
      assertThrows(
          IOException.class,
          () ->
              publisher.inTransaction(
                  tx -> {
                    tx.send(topic, "job-unwritable", new byte[] {0});
                    throw new IOException("the artifact store is full");
                  },
                  null,
                  null));
      publisher.inTransaction(tx -> tx.send(topic, "job-next", new byte[] {1}), null, null);
    }
    assertEquals(List.of("job-next"), read(topic, "read_committed"));
  }

  @Test
  void aProducerThatDiesBeforeCommittingIsFencedAndItsRecordsNeverAppear() throws Exception {
    String topic = "tx-test-" + UUID.randomUUID();
    TransactionalPublisher dying =
        new TransactionalPublisher(KafkaConnection.plaintext(servers), "tx-b");
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
    try (TransactionalPublisher successor =
        new TransactionalPublisher(KafkaConnection.plaintext(servers), "tx-b")) {
      successor.inTransaction(tx -> tx.send(topic, "job-redone", new byte[] {1}), null, null);
    }
    crash.interrupt();
    crash.join(10_000);
    dying.close();
    assertEquals(List.of("job-redone"), read(topic, "read_committed"));
  }
}
