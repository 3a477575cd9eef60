package dev.kft.registry.messaging;

import dev.kft.events.Event;
import dev.kft.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes the registry's facts on {@code kft.models} and its commands on {@code kft.control}. */
@ApplicationScoped
public class EventPublisher {

  private final MutinyEmitter<Event> models;
  private final MutinyEmitter<Event> control;

  public EventPublisher(
      @Channel(Topics.MODELS) MutinyEmitter<Event> models,
      @Channel(Topics.CONTROL) MutinyEmitter<Event> control) {
    this.models = models;
    this.control = control;
  }

  /** Sends a model fact keyed by its job and waits for the broker's acknowledgement. */
  public void model(Event event) {
    models.sendMessageAndAwait(KafkaRecord.of(event.jobId(), event));
  }

  /** Sends a control command keyed by its job and waits for the broker's acknowledgement. */
  public void control(Event event) {
    control.sendMessageAndAwait(KafkaRecord.of(event.jobId(), event));
  }
}
