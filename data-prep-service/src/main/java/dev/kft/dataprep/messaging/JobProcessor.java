package dev.kft.dataprep.messaging;

import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.ModelSourceException;
import dev.kft.dataprep.domain.BaseModel;
import dev.kft.dataprep.domain.DataPreparation;
import dev.kft.dataprep.domain.DataPreparation.Prepared;
import dev.kft.dataprep.domain.DataProblem;
import dev.kft.dataprep.domain.JobIntake;
import dev.kft.dataprep.domain.JobIntake.Accepted;
import dev.kft.dataprep.domain.JobIntake.Outcome;
import dev.kft.dataprep.domain.JobIntake.Rejected;
import dev.kft.dataprep.domain.JobIntake.Unreadable;
import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.Topics;
import dev.kft.job.ModelSpec;
import dev.kft.job.Problem;
import dev.kft.messaging.TransactionalPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Decides and publishes what becomes of each {@code kft.jobs} record: {@code JobRejected} (and the
 * dead-letter topic for unreadable records), or {@code JobAccepted} followed by the job's batches
 * on {@code kft.batches} and {@code DatasetPrepared} on {@code kft.job-events}, or {@code
 * JobFailed} naming the data problem.
 */
@ApplicationScoped
public class JobProcessor {

  private static final Logger LOG = Logger.getLogger(JobProcessor.class);

  private final JobIntake intake = new JobIntake();
  private final DataPreparation preparation;
  private final ModelSource models;
  private final MeterRegistry registry;

  public JobProcessor(DataPreparation preparation, ModelSource models, MeterRegistry registry) {
    this.preparation = preparation;
    this.models = models;
    this.registry = registry;
  }

  Outcome read(ConsumerRecord<String, byte[]> record) {
    return intake.read(record.key(), record.value());
  }

  /** The transaction that settles a record that will not be prepared. */
  TransactionalPublisher.Work settle(ConsumerRecord<String, byte[]> record, Outcome outcome) {
    if (outcome instanceof Rejected r) {
      count("rejected");
      return tx ->
          tx.sendEvent(Topics.JOB_EVENTS, rejected(r.jobId(), "invalid job spec", r.problems()));
    }
    Unreadable u = (Unreadable) outcome;
    count("unreadable");
    LOG.warnf(
        "unreadable record %s-%d@%d: %s",
        record.topic(), record.partition(), record.offset(), u.error());
    return tx -> {
      tx.sendWithHeader(
          Topics.JOBS_DLQ,
          record.key(),
          record.value() == null ? new byte[0] : record.value(),
          Topics.ERROR_HEADER,
          u.error());
      if (u.jobId() != null) {
        tx.sendEvent(
            Topics.JOB_EVENTS,
            rejected(u.jobId(), "unreadable job submission: " + u.error(), List.of()));
      }
    };
  }

  /** The transaction that skips a job id data-prep has settled before; nothing is published. */
  TransactionalPublisher.Work duplicate(Outcome outcome) {
    count("duplicate");
    LOG.warnf(
        "job %s was submitted again; it was settled before and is not prepared twice",
        outcome.jobId());
    return tx -> {};
  }

  TransactionalPublisher.Work accept(Accepted a) {
    count("accepted");
    return tx ->
        tx.sendEvent(
            Topics.JOB_EVENTS,
            new JobAccepted(Event.newId(), a.jobId(), Instant.now(), a.spec(), a.warnings()));
  }

  /** Prepares an accepted job's data; runs on a worker thread. */
  Prepared prepare(Accepted a) throws Exception {
    Timer.Sample sample = Timer.start(registry);
    try {
      ModelSpec m = a.spec().model();
      Path dir = models.resolve(m.source(), false);
      BertConfig config = BertConfig.read(dir.resolve(ModelSource.CONFIG));
      if (!m.configOverrides().isEmpty()) {
        config = config.withOverrides(m.configOverrides());
      }
      BaseModel base =
          new BaseModel(
              models.tokenizer(m.source(), m.tokenizer()),
              config.vocabSize(),
              config.hiddenSize(),
              config.maxPositionEmbeddings(),
              ModelSource.origin(dir, m.source()));
      return preparation.prepare(a.jobId(), a.spec(), base);
    } finally {
      sample.stop(registry.timer("kft.data-prep.prepare.duration"));
    }
  }

  /** The transaction that publishes a prepared dataset. */
  TransactionalPublisher.Work publish(Accepted a, Prepared prepared) {
    return tx -> {
      PreparedEvents.Written written = PreparedEvents.publish(tx, a.jobId(), a.spec(), prepared);
      count("prepared");
      registry.counter("kft.data-prep.rows.read").increment(prepared.rowsRead());
      prepared
          .dropped()
          .forEach(
              (reason, n) ->
                  registry.counter("kft.data-prep.rows.dropped", "reason", reason).increment(n));
      prepared
          .splits()
          .values()
          .forEach(
              s -> registry.counter("kft.data-prep.rows.augmented").increment(s.augmentedRows()));
      registry.counter("kft.data-prep.batches").increment(written.batches());
      registry.counter("kft.data-prep.batch.bytes").increment(written.bytes());
      LOG.infof(
          "job %s prepared: %d rows read, %d batches, %d bytes",
          a.jobId(), prepared.rowsRead(), written.batches(), written.bytes());
    };
  }

  /** The transaction that fails a job whose preparation threw {@code error}. */
  TransactionalPublisher.Work fail(Accepted a, Throwable error) {
    count("failed");
    String reason =
        error instanceof DataProblem || error instanceof ModelSourceException
            ? error.getMessage()
            : "internal error while preparing data: " + error;
    if (!(error instanceof DataProblem)) {
      LOG.errorf(error, "job %s failed", a.jobId());
    }
    return tx ->
        tx.sendEvent(
            Topics.JOB_EVENTS,
            new JobFailed(
                Event.newId(),
                a.jobId(),
                Instant.now(),
                "data-prep",
                "prepare-data",
                reason,
                null));
  }

  private void count(String outcome) {
    registry.counter("kft.data-prep.jobs", "outcome", outcome).increment();
  }

  private static JobRejected rejected(String jobId, String reason, List<Problem> problems) {
    return new JobRejected(Event.newId(), jobId, Instant.now(), reason, problems);
  }
}
