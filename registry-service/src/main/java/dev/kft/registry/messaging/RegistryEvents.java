package dev.kft.registry.messaging;

import dev.kft.events.Event;
import dev.kft.events.ModelCandidate;
import dev.kft.events.Topics;
import dev.kft.messaging.Backoff;
import dev.kft.messaging.ConsumedEvents;
import dev.kft.messaging.DeadLetters;
import dev.kft.messaging.PoisonRecordException;
import dev.kft.messaging.RecordLoop;
import dev.kft.registry.persistence.JobRepository;
import dev.kft.registry.registration.Registrar;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Consumes {@code kft.jobs}, {@code kft.job-events}, {@code kft.checkpoints} and {@code
 * kft.evaluations}: every event goes into its job's tracked timeline, and a {@code ModelCandidate}
 * is registered, its {@code ModelVersionRegistered} and {@code AliasSet} facts leaving through the
 * outbox for {@code kft.models}. A database that is away is waited for ({@link Backoff}). A record
 * that is not a kft event is parked in its topic's dead-letter topic ({@code <topic>.dlq}); one
 * that still fails when the retry budget is spent is nacked, which parks it there too (SmallRye's
 * dead-letter strategy). Either way the registry goes on with the next record.
 */
@ApplicationScoped
public class RegistryEvents {

  private final JobRepository jobs;
  private final Registrar registrar;
  private final OutboxRelay relay;
  private final Backoff database;
  private final DeadLetters deadLetters;
  private final MeterRegistry metrics;

  public RegistryEvents(
      JobRepository jobs,
      Registrar registrar,
      OutboxRelay relay,
      Backoff database,
      DeadLetters deadLetters,
      MeterRegistry metrics) {
    this.jobs = jobs;
    this.registrar = registrar;
    this.relay = relay;
    this.database = database;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  @Incoming(Topics.JOBS)
  @Blocking(ordered = true)
  public void onJob(ConsumerRecord<String, byte[]> record) throws Exception {
    handle(record);
  }

  @Incoming(Topics.JOB_EVENTS)
  @Blocking(ordered = true)
  public void onJobEvent(ConsumerRecord<String, byte[]> record) throws Exception {
    handle(record);
  }

  @Incoming(Topics.CHECKPOINTS)
  @Blocking(ordered = true)
  public void onCheckpoint(ConsumerRecord<String, byte[]> record) throws Exception {
    handle(record);
  }

  @Incoming(Topics.EVALUATIONS)
  @Blocking(ordered = true)
  public void onEvaluation(ConsumerRecord<String, byte[]> record) throws Exception {
    handle(record);
  }

  private void handle(ConsumerRecord<String, byte[]> record) throws Exception {
    Event event;
    try {
      event = ConsumedEvents.of(record);
    } catch (PoisonRecordException e) {
      deadLetters.park(record, e.getMessage());
      return;
    }
    if (event == null) {
      return;
    }
    MDC.put(RecordLoop.JOB_ID, event.jobId());
    try {
      String where = record.topic() + "-" + record.partition() + "@" + record.offset();
      if (event instanceof ModelCandidate candidate) {
        database.run("registering " + where, () -> register(candidate));
        relay.wake();
        return;
      }
      if (database.run("tracking " + where, () -> jobs.record(event))) {
        metrics
            .counter("kft.registry.events", "type", event.getClass().getSimpleName())
            .increment();
      }
    } finally {
      MDC.remove(RecordLoop.JOB_ID);
    }
  }

  private Void register(ModelCandidate candidate) throws SQLException {
    registrar.register(candidate);
    String outcome =
        jobs.get(candidate.jobId()).map(j -> j.status().name().toLowerCase()).orElse("unknown");
    metrics.counter("kft.registry.candidates", "outcome", outcome).increment();
    return null;
  }
}
