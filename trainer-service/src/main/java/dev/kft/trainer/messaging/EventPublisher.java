package dev.kft.trainer.messaging;

import dev.kft.events.Event;
import dev.kft.messaging.EventSerializer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes the trainer's events keyed by job id, waiting for the broker's acknowledgement. */
final class EventPublisher implements AutoCloseable {

  private final KafkaProducer<String, Event> producer;

  EventPublisher(String bootstrapServers) {
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new EventSerializer());
  }

  void publish(String topic, Event event) {
    try {
      producer.send(new ProducerRecord<>(topic, event.jobId(), event)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing to " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("publishing to " + topic + " failed", e.getCause());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
