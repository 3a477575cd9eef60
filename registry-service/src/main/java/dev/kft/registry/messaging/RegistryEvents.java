package dev.kft.registry.messaging;

import dev.kft.events.Event;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelEvent;
import dev.kft.events.Topics;
import dev.kft.registry.persistence.JobRepository;
import dev.kft.registry.registration.Registrar;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kft.jobs}, {@code kft.job-events}, {@code kft.checkpoints} and {@code
 * kft.evaluations}: every event goes into its job's tracked timeline, and a {@code ModelCandidate}
 * is registered, with {@code ModelVersionRegistered} and {@code AliasSet} published on {@code
 * kft.models}. A failure leaves the record unacknowledged, so it is read again.
 */
@ApplicationScoped
public class RegistryEvents {

  private static final Logger LOG = Logger.getLogger(RegistryEvents.class);

  private final JobRepository jobs;
  private final Registrar registrar;
  private final EventPublisher publisher;
  private final MeterRegistry metrics;

  public RegistryEvents(
      JobRepository jobs, Registrar registrar, EventPublisher publisher, MeterRegistry metrics) {
    this.jobs = jobs;
    this.registrar = registrar;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  @Incoming(Topics.JOBS)
  @Blocking(ordered = true)
  public void onJob(ConsumerRecord<String, Event> record) throws SQLException {
    track(record);
  }

  @Incoming(Topics.JOB_EVENTS)
  @Blocking(ordered = true)
  public void onJobEvent(ConsumerRecord<String, Event> record) throws SQLException {
    track(record);
  }

  @Incoming(Topics.CHECKPOINTS)
  @Blocking(ordered = true)
  public void onCheckpoint(ConsumerRecord<String, Event> record) throws SQLException {
    track(record);
  }

  @Incoming(Topics.EVALUATIONS)
  @Blocking(ordered = true)
  public void onEvaluation(ConsumerRecord<String, Event> record) throws SQLException {
    if (record.value() instanceof ModelCandidate candidate) {
      List<ModelEvent> events = registrar.register(candidate);
      events.forEach(publisher::model);
      metrics.counter("kft.registry.candidates", "outcome", outcome(candidate)).increment();
      return;
    }
    track(record);
  }

  private String outcome(ModelCandidate candidate) throws SQLException {
    return jobs.get(candidate.jobId()).map(j -> j.status().name().toLowerCase()).orElse("unknown");
  }

  private void track(ConsumerRecord<String, Event> record) throws SQLException {
    if (record.value() == null) {
      LOG.warnf(
          "skipped a record that is not a kft event at %s-%d@%d",
          record.topic(), record.partition(), record.offset());
      return;
    }
    if (jobs.record(record.value())) {
      metrics
          .counter("kft.registry.events", "type", record.value().getClass().getSimpleName())
          .increment();
    }
  }
}
