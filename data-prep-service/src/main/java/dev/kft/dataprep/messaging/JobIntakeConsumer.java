package dev.kft.dataprep.messaging;

import dev.kft.dataprep.domain.JobIntake;
import dev.kft.dataprep.domain.JobIntake.Accepted;
import dev.kft.dataprep.domain.JobIntake.Outcome;
import dev.kft.dataprep.domain.JobIntake.Rejected;
import dev.kft.dataprep.domain.JobIntake.Unreadable;
import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobRejected;
import dev.kft.events.Topics;
import dev.kft.job.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes job submissions from {@code kft.jobs} and records the verdict: {@code JobAccepted} or
 * {@code JobRejected} on {@code kft.job-events}, and unreadable records on {@code kft.jobs.dlq}
 * with the reason in the {@code kft-error} header. A record is acknowledged only after its verdict
 * is written.
 */
@ApplicationScoped
public class JobIntakeConsumer {

  private static final Logger LOG = Logger.getLogger(JobIntakeConsumer.class);

  private final JobIntake intake = new JobIntake();
  private final MutinyEmitter<Event> jobEvents;
  private final MutinyEmitter<byte[]> deadLetters;
  private final MeterRegistry registry;

  public JobIntakeConsumer(
      @Channel(Topics.JOB_EVENTS) MutinyEmitter<Event> jobEvents,
      @Channel(Topics.JOBS_DLQ) MutinyEmitter<byte[]> deadLetters,
      MeterRegistry registry) {
    this.jobEvents = jobEvents;
    this.deadLetters = deadLetters;
    this.registry = registry;
  }

  @Incoming(Topics.JOBS)
  @Blocking
  public void onRecord(ConsumerRecord<String, byte[]> record) {
    Outcome outcome = intake.read(record.key(), record.value());
    String verdict;
    if (outcome instanceof Accepted a) {
      publish(new JobAccepted(Event.newId(), a.jobId(), Instant.now(), a.spec()));
      verdict = "accepted";
    } else if (outcome instanceof Rejected r) {
      publish(rejected(r.jobId(), "invalid job spec", r.problems()));
      verdict = "rejected";
    } else {
      deadLetter(record, (Unreadable) outcome);
      verdict = "unreadable";
    }
    registry.counter("kft.data-prep.jobs", "outcome", verdict).increment();
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, Unreadable u) {
    LOG.warnf(
        "unreadable record at %s-%d@%d: %s",
        record.topic(), record.partition(), record.offset(), u.error());
    byte[] payload = record.value() == null ? new byte[0] : record.value();
    deadLetters.sendMessageAndAwait(
        KafkaRecord.of(record.key(), payload)
            .withHeader(Topics.ERROR_HEADER, u.error().getBytes(StandardCharsets.UTF_8)));
    if (u.jobId() != null) {
      publish(rejected(u.jobId(), "unreadable job submission: " + u.error(), List.of()));
    }
  }

  private static JobRejected rejected(String jobId, String reason, List<Problem> p) {
    return new JobRejected(Event.newId(), jobId, Instant.now(), reason, p);
  }

  private void publish(Event event) {
    jobEvents.sendMessageAndAwait(KafkaRecord.of(event.jobId(), event));
  }
}
