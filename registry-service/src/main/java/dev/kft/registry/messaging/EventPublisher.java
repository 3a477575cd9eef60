package dev.kft.registry.messaging;

import dev.kft.events.Event;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the registry's commands on {@code kft.control} and the jobs submitted over HTTP on
 * {@code kft.jobs}; its facts for {@code kft.models} go through the outbox ({@link OutboxRelay}).
 */
@ApplicationScoped
public class EventPublisher {

  /** The channel of jobs submitted over HTTP: {@code kft.jobs}, which the registry also reads. */
  public static final String SUBMISSIONS = "job-submissions";

  private final MutinyEmitter<Event> control;
  private final MutinyEmitter<Event> submissions;

  public EventPublisher(
      @Channel(Topics.CONTROL) MutinyEmitter<Event> control,
      @Channel(SUBMISSIONS) MutinyEmitter<Event> submissions) {
    this.control = control;
    this.submissions = submissions;
  }

  /** Publishes a job submitted over HTTP, keyed by its job, and waits for the acknowledgement. */
  public void submit(SubmitJob submit) {
    submissions.sendMessageAndAwait(KafkaRecord.of(submit.jobId(), submit));
  }

  /** Sends a control command keyed by its job and waits for the broker's acknowledgement. */
  public void control(Event event) {
    control.sendMessageAndAwait(KafkaRecord.of(event.jobId(), event));
  }
}
