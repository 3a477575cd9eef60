package dev.kft.messaging;

import dev.kft.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Parks records a service cannot use in {@code <topic>.dlq}, unchanged (key, value, headers), with
 * headers saying why and where they came from: {@value #REASON}, {@value #TOPIC}, {@value
 * #PARTITION}, {@value #OFFSET} and {@value #GROUP}, the consumer group that gave up on it.
 */
public final class DeadLetters implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  public static final String REASON = "kft-dlq-reason";
  public static final String TOPIC = "kft-dlq-topic";
  public static final String PARTITION = "kft-dlq-partition";
  public static final String OFFSET = "kft-dlq-offset";
  public static final String GROUP = "kft-dlq-group";

  private final KafkaProducer<String, byte[]> producer;
  private final String group;

  public DeadLetters(KafkaConnection kafka, String group) {
    this.group = group;
    producer =
        new KafkaProducer<>(
            kafka.config(
                Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.ACKS_CONFIG,
                    "all")),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /** Parks {@code record}, then commits the consumer's offset past it. */
  public void parkAndSkip(
      KafkaConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record, String reason)
      throws InterruptedException, ExecutionException {
    park(record, reason);
    consumer.commitSync(
        Map.of(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1)));
  }

  /** Parks {@code record} and returns once the broker has it. */
  public void park(ConsumerRecord<String, byte[]> record, String reason)
      throws InterruptedException, ExecutionException {
    LOG.warnf(
        "%s: parked %s-%d@%d in %s: %s",
        group,
        record.topic(),
        record.partition(),
        record.offset(),
        Topics.deadLetters(record.topic()),
        reason);
    producer.send(record(record, reason, group)).get();
  }

  /**
   * The dead letter of {@code record}, for a caller that sends it itself (in its own transaction,
   * for example): {@code <topic>.dlq}, key, value and headers unchanged, with kft's headers added.
   */
  public static ProducerRecord<String, byte[]> record(
      ConsumerRecord<String, byte[]> record, String reason, String group) {
    ProducerRecord<String, byte[]> dead =
        new ProducerRecord<>(Topics.deadLetters(record.topic()), record.key(), record.value());
    record.headers().forEach(h -> dead.headers().add(h));
    Headers h = dead.headers();
    h.add(REASON, utf8(reason));
    h.add(TOPIC, utf8(record.topic()));
    h.add(PARTITION, utf8(String.valueOf(record.partition())));
    h.add(OFFSET, utf8(String.valueOf(record.offset())));
    h.add(GROUP, utf8(group));
    return dead;
  }

  @Override
  public void close() {
    producer.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
