package dev.kft.trainer.messaging;

import dev.kft.batch.Split;
import dev.kft.checkpoint.ModelSourceException;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.messaging.BatchReplay;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.KafkaUnavailableException;
import dev.kft.messaging.RecordLoop;
import dev.kft.messaging.TopicScan;
import dev.kft.messaging.TransactionalPublisher;
import dev.kft.model.ModelLoader;
import dev.kft.trainer.config.TrainerConfig;
import dev.kft.trainer.training.CheckpointStore;
import dev.kft.trainer.training.TrainingJob;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kft.job-events} and trains each job whose {@code DatasetPrepared} arrives, one at
 * a time, on a worker thread while this loop keeps polling with its partitions paused. The record
 * is committed only once the job's outcome is published: a trainer that dies mid-job leaves it
 * uncommitted, and the next one resumes it from its latest checkpoint.
 */
@Singleton
public class TrainingLoop extends RecordLoop<TransactionalPublisher> {

  private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

  private final TrainingJob job;
  private final RunningJob running;
  private final TrainerConfig config;
  private final MeterRegistry registry;

  public TrainingLoop(
      ModelLoader loader,
      RunningJob running,
      TrainerConfig config,
      MeterRegistry registry,
      KafkaConnection kafka) {
    super("kft-trainer-jobs", kafka, "kft-trainer", registry);
    // must precede the first use of the engine, which reads it once
    config
        .threads()
        .ifPresent(n -> System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(n)));
    this.job = new TrainingJob(loader, new CheckpointStore(config.artifactRoot()), config.device());
    this.running = running;
    this.config = config;
    this.registry = registry;
  }

  @Override
  protected TransactionalPublisher open() {
    return new TransactionalPublisher(kafka(), transactionalId(config.transactionalIdPrefix()));
  }

  @Override
  protected List<String> topics() {
    return List.of(Topics.JOB_EVENTS);
  }

  /** The job's partition moved to another trainer: checkpoint, stop, and leave it to that one. */
  @Override
  protected boolean handOver() {
    running.handOver();
    return true;
  }

  @Override
  protected void handle(
      KafkaConsumer<String, byte[]> consumer,
      TransactionalPublisher publisher,
      ConsumerRecord<String, byte[]> record)
      throws Exception {
    if (event(record) instanceof DatasetPrepared prepared) {
      train(consumer, publisher, prepared);
      if (!running()) {
        return;
      }
    }
    consumer.commitSync(
        Map.of(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1)));
  }

  private void train(
      KafkaConsumer<String, byte[]> consumer,
      TransactionalPublisher publisher,
      DatasetPrepared prepared)
      throws InterruptedException {
    KafkaReporter reporter =
        new KafkaReporter(publisher, kafka(), prepared.jobId(), prepared.spec(), registry);
    running.begin(prepared.jobId(), recordedStop(prepared.jobId()));
    try {
      Future<Object> work =
          whilePolling(
              consumer,
              () -> {
                job.run(
                    prepared,
                    p -> BatchReplay.read(kafka(), p, Split.TRAIN, config.batchReadTimeout()),
                    running,
                    reporter);
                return null;
              },
              Instant.MAX,
              () -> false);
      if (work.isDone()) {
        work.get();
      }
    } catch (ExecutionException e) {
      if (KafkaUnavailableException.causes(e.getCause())) {
        // the broker, not the job: the record is read again and the job resumes from its checkpoint
        throw new KafkaUnavailableException("job " + prepared.jobId(), e.getCause());
      }
      fail(reporter, prepared, e.getCause());
    } finally {
      running.end();
    }
  }

  /**
   * A stop asked of the job before it started on this instance (while it waited for a trainer, or
   * while its trainer restarted), read from {@code kft.control}; null when there is none.
   */
  private Reason recordedStop(String jobId) {
    AtomicReference<Reason> found = new AtomicReference<>();
    TopicScan.eventsOf(
        kafka(),
        Topics.CONTROL,
        jobId,
        config.batchReadTimeout(),
        e -> {
          if (e instanceof StopTraining stop && stop.jobId().equals(jobId)) {
            found.compareAndSet(null, stop.reason());
          }
        });
    if (found.get() != null) {
      LOG.infof("job %s: a stop (%s) was asked before it started here", jobId, found.get());
    }
    return found.get();
  }

  private void fail(KafkaReporter reporter, DatasetPrepared prepared, Throwable cause) {
    boolean userError =
        cause instanceof ModelSourceException
            || cause instanceof IllegalStateException
            || cause instanceof IllegalArgumentException;
    String reason = userError ? cause.getMessage() : "internal error while training: " + cause;
    if (userError) {
      LOG.warnf("job %s failed: %s", prepared.jobId(), reason);
    } else {
      LOG.errorf(cause, "job %s failed", prepared.jobId());
    }
    reporter.failed(reason, null);
  }
}
