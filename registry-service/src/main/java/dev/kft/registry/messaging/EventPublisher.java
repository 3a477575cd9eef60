package dev.kft.registry.messaging;

import dev.kft.events.Event;
import dev.kft.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the registry's commands on {@code kft.control}; its facts for {@code kft.models} go
 * through the outbox ({@link OutboxRelay}).
 */
@ApplicationScoped
public class EventPublisher {

  private final MutinyEmitter<Event> control;

  public EventPublisher(@Channel(Topics.CONTROL) MutinyEmitter<Event> control) {
    this.control = control;
  }

  /** Sends a control command keyed by its job and waits for the broker's acknowledgement. */
  public void control(Event event) {
    control.sendMessageAndAwait(KafkaRecord.of(event.jobId(), event));
  }
}
