package dev.kft.trainer.messaging;

import dev.kft.events.Event;
import dev.kft.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the trainer's inbound topics ({@code kft.job-events}, {@code kft.control}) and counts each
 * event by topic and type in {@code kft.trainer.events.received}; records that are not kft events
 * are logged and skipped.
 */
@ApplicationScoped
public class InboundEvents {

  private static final Logger LOG = Logger.getLogger(InboundEvents.class);

  private final MeterRegistry registry;

  public InboundEvents(MeterRegistry registry) {
    this.registry = registry;
  }

  @Incoming(Topics.JOB_EVENTS)
  public void onJobEvent(ConsumerRecord<String, Event> record) {
    received(record);
  }

  @Incoming(Topics.CONTROL)
  public void onControl(ConsumerRecord<String, Event> record) {
    received(record);
  }

  private void received(ConsumerRecord<String, Event> record) {
    if (record.value() == null) {
      LOG.warnf(
          "skipped a record that is not a kft event at %s-%d@%d",
          record.topic(), record.partition(), record.offset());
      return;
    }
    String type = record.value().getClass().getSimpleName();
    registry
        .counter("kft.trainer.events.received", "topic", record.topic(), "type", type)
        .increment();
  }
}
