package dev.kft.testing;

import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import dev.kft.events.EventSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: publish records as a user would and read what services wrote. */
public final class KafkaTestClient {

  private final String bootstrapServers;
  private final Map<String, String> security;

  public KafkaTestClient(String bootstrapServers) {
    this(bootstrapServers, Map.of());
  }

  /** A client of a secured broker: {@code security} holds its protocol and credentials. */
  public KafkaTestClient(String bootstrapServers, Map<String, String> security) {
    this.bootstrapServers = bootstrapServers;
    this.security = Map.copyOf(security);
  }

  /** {@code client} with this client's servers and security settings added. */
  private Map<String, Object> config(Map<String, Object> client) {
    Map<String, Object> config = new java.util.HashMap<>(security);
    config.putAll(client);
    return config;
  }

  /** A client of the broker started by {@link KafkaBrokerResource}. */
  public static KafkaTestClient ofTestBroker() {
    return new KafkaTestClient(KafkaBrokerResource.broker().bootstrapServers());
  }

  /** Publishes an event keyed by its job id and waits for the broker's acknowledgement. */
  public RecordMetadata publish(String topic, Event event) {
    return publishRaw(topic, event.jobId(), new EventSerializer().serialize(topic, event));
  }

  /** Publishes raw bytes, for payloads no serializer would write. */
  public RecordMetadata publishRaw(String topic, String key, byte[] value) {
    Map<String, Object> config =
        config(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      return producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("publishing to " + topic + " failed", e.getCause());
    }
  }

  /**
   * Reads {@code topic} from the beginning until {@code count} events match {@code filter}.
   *
   * @throws AssertionError listing what was seen when they do not arrive within {@code timeout}
   */
  public List<Event> awaitEvents(
      String topic, Predicate<Event> filter, int count, Duration timeout) {
    List<Event> matched = new ArrayList<>();
    List<ConsumerRecord<String, Event>> seen =
        awaitRecords(
            topic,
            new EventDeserializer(),
            r -> {
              if (filter.test(r.value())) {
                matched.add(r.value());
              }
              return matched.size() >= count;
            },
            timeout);
    if (matched.size() < count) {
      throw new AssertionError(
          "expected "
              + count
              + " matching events on "
              + topic
              + ", saw: "
              + seen.stream().map(ConsumerRecord::value).toList());
    }
    return matched;
  }

  /** Reads raw records of {@code topic} until {@code done} says so or {@code timeout} passes. */
  public List<ConsumerRecord<String, byte[]>> awaitRawRecords(
      String topic, Predicate<ConsumerRecord<String, byte[]>> done, Duration timeout) {
    return awaitRecords(topic, new ByteArrayDeserializer(), done, timeout);
  }

  /**
   * Every committed record of {@code topic} up to its current end, raw, in each partition's order
   * (partitions one after another).
   */
  public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Map<String, Object> config =
        config(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("could not read " + topic + " to its end within a minute");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    all.sort(
        Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    return all;
  }

  private <T> List<ConsumerRecord<String, T>> awaitRecords(
      String topic,
      Deserializer<T> deserializer,
      Predicate<ConsumerRecord<String, T>> done,
      Duration timeout) {
    Map<String, Object> config =
        config(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "kft-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
    List<ConsumerRecord<String, T>> seen = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    try (KafkaConsumer<String, T> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
      consumer.subscribe(List.of(topic));
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record);
          if (done.test(record)) {
            return seen;
          }
        }
      }
    }
    return seen;
  }
}
