package dev.kft.messaging;

import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one producer of the services that do long work: publishes what a service makes of one
 * consumed record in a Kafka transaction together with that record's offset, so that either all of
 * the outputs and the offset become visible, or none do (data-prep writes {@code kft.batches} and
 * {@code kft.job-events} this way, the evaluator {@code kft.evaluations} and {@code kft.control}),
 * or publishes a single event on its own (the trainer's {@code TrainingStarted}, progress, {@code
 * CheckpointSaved}, {@code TrainingFinished} and {@code JobFailed}). Its transactional id, one per
 * service and host, lets a restarted instance abort what its predecessor left open.
 */
public final class TransactionalPublisher implements AutoCloseable {

  /** The sends of one transaction. */
  public interface Work {
    void run(Transaction tx) throws Exception;
  }

  /** Sends within the open transaction. */
  public final class Transaction {
    public Future<RecordMetadata> send(String topic, String key, byte[] value) {
      return send(new ProducerRecord<>(topic, key, value));
    }

    /** Sends a record as built, headers included (a dead letter, for example). */
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
      return producer.send(record);
    }

    public void sendEvent(String topic, Event event) {
      send(topic, event.jobId(), serializer.serialize(topic, event));
    }

    /** Sends a record with one header, such as a dead letter's reason. */
    public void sendWithHeader(String topic, String key, byte[] value, String header, String text) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
      record.headers().add(header, text.getBytes(StandardCharsets.UTF_8));
      producer.send(record);
    }

    public void flush() {
      producer.flush();
    }
  }

  private final KafkaProducer<String, byte[]> producer;
  private final EventSerializer serializer = new EventSerializer();

  /** {@code <prefix>-<host name>}: one transactional id per instance, the same after a restart. */
  public static String transactionalId(String prefix) {
    try {
      return prefix + "-" + InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return prefix + "-localhost";
    }
  }

  public TransactionalPublisher(KafkaConnection kafka, String transactionalId) {
    producer =
        new KafkaProducer<>(
            kafka.config(
                Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    transactionalId,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.COMPRESSION_TYPE_CONFIG,
                    "lz4",
                    ProducerConfig.LINGER_MS_CONFIG,
                    5,
                    ProducerConfig.BATCH_SIZE_CONFIG,
                    256 * 1024,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    300_000)),
            new StringSerializer(),
            new ByteArraySerializer());
    producer.initTransactions();
  }

  /**
   * Runs {@code work} in a transaction that also commits {@code offsets} for {@code group} (both
   * may be null); aborts on any failure.
   *
   * @throws FatalPublishException when the producer can no longer be used (fenced by a newer
   *     instance)
   */
  public void inTransaction(
      Work work, Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group)
      throws Exception {
    producer.beginTransaction();
    try {
      work.run(new Transaction());
      if (offsets != null) {
        producer.sendOffsetsToTransaction(offsets, group);
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw new FatalPublishException(e);
    } catch (Exception e) {
      // checked failures of the work too: an open transaction would block the next one
      producer.abortTransaction();
      throw e;
    }
  }

  /**
   * Publishes {@code event} keyed by its job in a transaction of its own and returns once it is
   * committed.
   *
   * @throws KafkaUnavailableException when the broker did not answer in time
   */
  public void publish(String topic, Event event) {
    try {
      inTransaction(tx -> tx.sendEvent(topic, event), null, null);
    } catch (FatalPublishException e) {
      throw e;
    } catch (Exception e) {
      if (KafkaUnavailableException.causes(e)) {
        throw new KafkaUnavailableException("publishing to " + topic + " failed", e);
      }
      throw new IllegalStateException("publishing to " + topic + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }

  /** The producer was fenced or broke for good; the loop must start over with a new one. */
  public static final class FatalPublishException extends RuntimeException {
    FatalPublishException(Throwable cause) {
      super(cause);
    }
  }
}
