package dev.kft.dataprep.messaging;

import dev.kft.dataprep.config.DataPrepConfig;
import dev.kft.dataprep.domain.DataPreparation.Prepared;
import dev.kft.dataprep.domain.JobIntake.Accepted;
import dev.kft.dataprep.domain.JobIntake.Outcome;
import dev.kft.events.Topics;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.RecordLoop;
import dev.kft.messaging.TransactionalPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kft.jobs} one record at a time and settles each in a Kafka transaction with its
 * consumed offset (exactly-once: a crash before the commit leaves nothing visible and the record is
 * read again). While a job's data is prepared on a worker, the loop keeps polling with its
 * partitions paused, so the consumer stays in its group.
 */
@Singleton
public class JobLoop extends RecordLoop<TransactionalPublisher> {

  private static final Logger LOG = Logger.getLogger(JobLoop.class);

  private final JobProcessor processor;
  private final DataPrepConfig config;
  private final SettledJobs settled;

  public JobLoop(
      JobProcessor processor,
      DataPrepConfig config,
      MeterRegistry registry,
      KafkaConnection kafka) {
    super("kft-data-prep-jobs", kafka, "kft-data-prep", registry);
    this.processor = processor;
    this.config = config;
    this.settled = new SettledJobs(kafka);
  }

  @Override
  protected TransactionalPublisher open() {
    return new TransactionalPublisher(kafka(), transactionalId(config.transactionalIdPrefix()));
  }

  @Override
  protected List<String> topics() {
    return List.of(Topics.JOBS);
  }

  @Override
  protected void handle(
      KafkaConsumer<String, byte[]> consumer,
      TransactionalPublisher publisher,
      ConsumerRecord<String, byte[]> record)
      throws Exception {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    Map<TopicPartition, OffsetAndMetadata> offsets =
        Map.of(partition, new OffsetAndMetadata(record.offset() + 1));
    Outcome outcome = processor.read(record);
    if (outcome.jobId() != null && settled.contains(outcome.jobId())) {
      publisher.inTransaction(processor.duplicate(outcome), offsets, consumer.groupMetadata());
      return;
    }
    if (!(outcome instanceof Accepted accepted)) {
      publisher.inTransaction(processor.settle(record, outcome), offsets, consumer.groupMetadata());
      return;
    }
    publisher.inTransaction(processor.accept(accepted), null, null);
    Future<Prepared> job =
        whilePolling(
            consumer,
            () -> processor.prepare(accepted),
            Instant.now().plus(config.maxPrepareTime()),
            () -> false);
    if (!job.isDone()) {
      job.cancel(true);
      if (!running()) {
        LOG.infof("job %s handed back unfinished; it will be read again", accepted.jobId());
        consumer.seek(partition, record.offset());
        return;
      }
      publisher.inTransaction(
          processor.fail(
              accepted,
              new IllegalStateException("preparation took longer than " + config.maxPrepareTime())),
          offsets,
          consumer.groupMetadata());
      return;
    }
    TransactionalPublisher.Work outcomeWork;
    try {
      outcomeWork = processor.publish(accepted, job.get());
    } catch (ExecutionException e) {
      outcomeWork = processor.fail(accepted, e.getCause());
    }
    publisher.inTransaction(outcomeWork, offsets, consumer.groupMetadata());
  }
}
