package dev.kft.local;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Tries what kft's clients do on a broker, as one user: writing (alone or in a transaction that
 * also commits a group's position, as the services' consume-transform-produce loops do), reading
 * with and without a group. Each attempt answers whether the broker let it through.
 */
final class Attempts {

  private final String servers;
  private final Map<String, String> credentials;

  Attempts(String servers, Map<String, String> credentials) {
    this.servers = servers;
    this.credentials = credentials;
  }

  /** Whether an idempotent producer may write a record to each of {@code topics}. */
  boolean write(String... topics) {
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      for (String topic : topics) {
        producer.send(new ProducerRecord<>(topic, new byte[] {1})).get();
      }
      return true;
    } catch (Exception e) {
      return refused(e, false);
    }
  }

  /**
   * Whether a transaction under {@code transactionalId} may write to {@code topics} and commit
   * {@code group}'s position on partition 0 of {@code consumed} with them.
   */
  boolean transaction(String transactionalId, String group, String consumed, String... topics) {
    try (KafkaProducer<byte[], byte[]> producer =
        producer(Map.of("transactional.id", transactionalId))) {
      producer.initTransactions();
      producer.beginTransaction();
      for (String topic : topics) {
        producer.send(new ProducerRecord<>(topic, new byte[] {2})).get();
      }
      producer.sendOffsetsToTransaction(
          Map.of(new TopicPartition(consumed, 0), new OffsetAndMetadata(0)),
          new ConsumerGroupMetadata(group));
      producer.commitTransaction();
      return true;
    } catch (Exception e) {
      return refused(e, false);
    }
  }

  /** Whether a consumer in {@code group} may read partition 0 of {@code topic} and commit there. */
  boolean readInGroup(String topic, String group) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
      TopicPartition p = new TopicPartition(topic, 0);
      consumer.assign(List.of(p));
      consumer.seekToBeginning(List.of(p));
      consumer.poll(java.time.Duration.ofSeconds(2));
      consumer.commitSync(Map.of(p, new OffsetAndMetadata(0)));
      return true;
    } catch (Exception e) {
      return refused(e, false);
    }
  }

  /** Whether a consumer outside any group may read each of {@code topics} from the start. */
  boolean read(String... topics) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
      for (String topic : topics) {
        TopicPartition p = new TopicPartition(topic, 0);
        consumer.assign(List.of(p));
        consumer.seekToBeginning(List.of(p));
        consumer.position(p);
        consumer.poll(java.time.Duration.ofSeconds(1));
      }
      return true;
    } catch (Exception e) {
      return refused(e, false);
    }
  }

  /**
   * Whether an admin client may read {@code group}'s committed positions and the ends of its topic.
   */
  boolean lag(String group, String topic) {
    Map<String, Object> config =
        config(Map.of("default.api.timeout.ms", 10_000, "request.timeout.ms", 5_000));
    try (Admin admin = Admin.create(config)) {
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      admin
          .listOffsets(
              Map.of(
                  new TopicPartition(topic, 0), org.apache.kafka.clients.admin.OffsetSpec.latest()))
          .all()
          .get();
      return true;
    } catch (Exception e) {
      return refused(e, false);
    }
  }

  /** Whether an admin client may describe the cluster at all (authentication). */
  boolean connect() {
    Map<String, Object> config =
        config(Map.of("default.api.timeout.ms", 10_000, "request.timeout.ms", 5_000));
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get();
      return true;
    } catch (Exception e) {
      return refused(e, true);
    }
  }

  /**
   * False when {@code e} says the broker refused the user (authorisation or authentication; a
   * client without SASL only times out, so {@code timeoutIsRefusal} says that counts); any other
   * failure is the attempt's own and fails the test.
   */
  private static boolean refused(Exception e, boolean timeoutIsRefusal) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthorizationException
          || t instanceof AuthenticationException
          || (timeoutIsRefusal && t instanceof TimeoutException)) {
        return false;
      }
    }
    throw new AssertionError("the attempt failed for another reason than access", e);
  }

  private KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put("acks", "all");
    config.put("max.block.ms", 10_000);
    config.put("delivery.timeout.ms", 10_000);
    config.put("request.timeout.ms", 5_000);
    return new KafkaProducer<>(
        config(config), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer(String group) {
    Map<String, Object> config = new HashMap<>();
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", false);
    config.put("default.api.timeout.ms", 10_000);
    if (group != null) {
      config.put("group.id", group);
    }
    return new KafkaConsumer<>(
        config(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private Map<String, Object> config(Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(credentials);
    config.put("bootstrap.servers", servers);
    config.putAll(client);
    return config;
  }
}
