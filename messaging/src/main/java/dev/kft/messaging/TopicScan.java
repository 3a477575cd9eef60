package dev.kft.messaging;

import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads topics outside any consumer group: committed records only, offsets never committed. Used to
 * rebuild a service's state from the log (settled jobs, a job's evaluations) and to replay batches.
 */
public final class TopicScan {

  private TopicScan() {}

  /** A read_committed consumer without a group; {@code extra} adds or replaces settings. */
  public static KafkaConsumer<String, byte[]> consumer(
      KafkaConnection kafka, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putAll(extra);
    return new KafkaConsumer<>(
        kafka.config(config), new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Hands every kft event of {@code topic}, from the beginning up to the end it has when the scan
   * starts, to {@code each} with its record key; records that are not events are skipped.
   *
   * @throws KafkaUnavailableException when the end is not reached within {@code timeout}
   */
  public static void events(
      KafkaConnection kafka, String topic, Duration timeout, BiConsumer<String, Event> each) {
    scan(kafka, topic, null, timeout, each);
  }

  /**
   * Hands the kft events keyed {@code key} to {@code each}, reading only the partition that key's
   * records go to (Kafka's default partitioner: murmur2 of the key), not the whole topic.
   *
   * @throws KafkaUnavailableException when the end is not reached within {@code timeout}
   */
  public static void eventsOf(
      KafkaConnection kafka, String topic, String key, Duration timeout, Consumer<Event> each) {
    scan(kafka, topic, key, timeout, (k, e) -> each.accept(e));
  }

  private static void scan(
      KafkaConnection kafka,
      String topic,
      String key,
      Duration timeout,
      BiConsumer<String, Event> each) {
    EventDeserializer events = new EventDeserializer();
    try (KafkaConsumer<String, byte[]> consumer = consumer(kafka, Map.of())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (key != null && !partitions.isEmpty()) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int partition = Utils.toPositive(Utils.murmur2(keyBytes)) % partitions.size();
        partitions = List.of(new TopicPartition(topic, partition));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Instant deadline = Instant.now().plus(timeout);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (Instant.now().isAfter(deadline)) {
          throw new KafkaUnavailableException(
              "could not read " + topic + " to its end in " + timeout, null);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          boolean wanted = key == null || key.equals(record.key());
          if (wanted
              && record.offset()
                  < end.get(new TopicPartition(record.topic(), record.partition()))) {
            Event e = eventOrNull(events, record);
            if (e != null) {
              each.accept(record.key(), e);
            }
          }
        }
      }
    }
  }

  private static Event eventOrNull(
      EventDeserializer events, ConsumerRecord<String, byte[]> record) {
    try {
      return events.deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      return null;
    }
  }
}
