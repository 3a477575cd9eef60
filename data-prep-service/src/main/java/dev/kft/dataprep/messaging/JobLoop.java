package dev.kft.dataprep.messaging;

import dev.kft.dataprep.config.DataPrepConfig;
import dev.kft.dataprep.domain.DataPreparation.Prepared;
import dev.kft.dataprep.domain.JobIntake.Accepted;
import dev.kft.dataprep.domain.JobIntake.Outcome;
import dev.kft.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kft.jobs} one record at a time on a thread of its own and settles each in a Kafka
 * transaction with its consumed offset (exactly-once: a crash before the commit leaves nothing
 * visible and the record is read again). While a job's data is prepared on a worker, the loop keeps
 * polling with its partitions paused, so the consumer stays in its group.
 */
@ApplicationScoped
public class JobLoop {

  private static final Logger LOG = Logger.getLogger(JobLoop.class);

  private final JobProcessor processor;
  private final DataPrepConfig config;
  private final String bootstrapServers;
  private final AtomicBoolean running = new AtomicBoolean();
  private final SettledJobs settled = new SettledJobs();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "kft-data-prep-worker"));
  private volatile Instant lastPoll = Instant.now();
  private volatile boolean revoked;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;

  public JobLoop(
      JobProcessor processor,
      DataPrepConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.processor = processor;
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  void start(@Observes StartupEvent event) {
    running.set(true);
    thread = new Thread(this::run, "kft-data-prep-jobs");
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running.set(false);
    if (consumer != null) {
      consumer.wakeup();
    }
    thread.join(TimeUnit.SECONDS.toMillis(30));
    worker.shutdownNow();
  }

  /** When the loop last polled Kafka; readiness fails when this grows old. */
  Instant lastPoll() {
    return lastPoll;
  }

  boolean running() {
    return running.get() && thread.isAlive();
  }

  private void run() {
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = newConsumer();
          TransactionalPublisher publisher =
              new TransactionalPublisher(bootstrapServers, transactionalId())) {
        consumer = c;
        LOG.infof("%d jobs already settled", settled.load(bootstrapServers));
        c.subscribe(List.of(Topics.JOBS), new RevocationWatch());
        while (running.get()) {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
            handle(c, publisher, record);
          }
          lastPoll = Instant.now();
        }
      } catch (WakeupException e) {
        LOG.debug("job loop woken up to stop");
      } catch (Exception e) {
        LOG.error("job loop failed; starting over with new clients", e);
        sleep(Duration.ofSeconds(2));
      }
    }
  }

  private void handle(
      KafkaConsumer<String, byte[]> c,
      TransactionalPublisher publisher,
      ConsumerRecord<String, byte[]> record)
      throws Exception {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    Map<TopicPartition, OffsetAndMetadata> offsets =
        Map.of(partition, new OffsetAndMetadata(record.offset() + 1));
    Outcome outcome = processor.read(record);
    if (outcome.jobId() != null && settled.contains(outcome.jobId())) {
      publisher.inTransaction(processor.duplicate(outcome), offsets, c.groupMetadata());
      return;
    }
    if (!(outcome instanceof Accepted accepted)) {
      publisher.inTransaction(processor.settle(record, outcome), offsets, c.groupMetadata());
      settled.add(outcome.jobId());
      return;
    }
    publisher.inTransaction(processor.accept(accepted), null, null);
    revoked = false;
    Future<Prepared> job = worker.submit(() -> processor.prepare(accepted));
    Collection<TopicPartition> paused = c.assignment();
    c.pause(paused);
    Instant deadline = Instant.now().plus(config.maxPrepareTime());
    while (!job.isDone() && !revoked && Instant.now().isBefore(deadline) && running.get()) {
      c.poll(Duration.ofMillis(200));
      lastPoll = Instant.now();
    }
    c.resume(c.assignment());
    if (!job.isDone()) {
      job.cancel(true);
      if (revoked || !running.get()) {
        LOG.infof("job %s handed back unfinished; it will be read again", accepted.jobId());
        c.seek(partition, record.offset());
        return;
      }
      publisher.inTransaction(
          processor.fail(
              accepted,
              new IllegalStateException("preparation took longer than " + config.maxPrepareTime())),
          offsets,
          c.groupMetadata());
      return;
    }
    TransactionalPublisher.Work outcomeWork;
    try {
      outcomeWork = processor.publish(accepted, job.get());
    } catch (ExecutionException e) {
      outcomeWork = processor.fail(accepted, e.getCause());
    }
    publisher.inTransaction(outcomeWork, offsets, c.groupMetadata());
    settled.add(accepted.jobId());
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "kft-data-prep",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            1),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  private String transactionalId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return config.transactionalIdPrefix() + "-" + host;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Notes when the partitions of the job in hand are taken away by a rebalance. */
  private final class RevocationWatch implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      revoked = revoked || !partitions.isEmpty();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }
}
