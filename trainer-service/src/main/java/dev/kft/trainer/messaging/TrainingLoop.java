package dev.kft.trainer.messaging;

import dev.kft.batch.Split;
import dev.kft.checkpoint.ModelLoader;
import dev.kft.checkpoint.ModelSourceException;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Topics;
import dev.kft.messaging.BatchReplay;
import dev.kft.messaging.EventDeserializer;
import dev.kft.trainer.config.TrainerConfig;
import dev.kft.trainer.training.CheckpointStore;
import dev.kft.trainer.training.TrainingJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kft.job-events} and trains each job whose {@code DatasetPrepared} arrives, one at
 * a time, on a worker thread while this loop keeps polling with its partitions paused. The record
 * is committed only once the job's outcome is published: a trainer that dies mid-job leaves it
 * uncommitted, and the next one resumes it from its latest checkpoint.
 */
@ApplicationScoped
public class TrainingLoop {

  private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

  private final TrainingJob job;
  private final RunningJob running;
  private final TrainerConfig config;
  private final MeterRegistry registry;
  private final String servers;
  private final AtomicBoolean active = new AtomicBoolean();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "kft-trainer-worker"));
  private volatile Instant lastPoll = Instant.now();
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;

  public TrainingLoop(
      ModelLoader loader,
      RunningJob running,
      TrainerConfig config,
      MeterRegistry registry,
      @ConfigProperty(name = "kafka.bootstrap.servers") String servers) {
    this.job = new TrainingJob(loader, new CheckpointStore(config.artifactRoot()));
    this.running = running;
    this.config = config;
    this.registry = registry;
    this.servers = servers;
  }

  void start(@Observes StartupEvent event) {
    active.set(true);
    thread = new Thread(this::run, "kft-trainer-jobs");
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    active.set(false);
    if (consumer != null) {
      consumer.wakeup();
    }
    thread.join(TimeUnit.SECONDS.toMillis(30));
    worker.shutdownNow();
  }

  Instant lastPoll() {
    return lastPoll;
  }

  boolean alive() {
    return active.get() && thread.isAlive();
  }

  private void run() {
    EventDeserializer events = new EventDeserializer();
    while (active.get()) {
      try (KafkaConsumer<String, byte[]> c = newConsumer();
          EventPublisher publisher = new EventPublisher(servers)) {
        consumer = c;
        c.subscribe(List.of(Topics.JOB_EVENTS));
        while (active.get()) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
            if (read(events, r) instanceof DatasetPrepared prepared) {
              train(c, publisher, prepared);
            }
            c.commitSync(
                Map.of(
                    new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1)));
          }
          lastPoll = Instant.now();
        }
      } catch (WakeupException e) {
        LOG.debug("training loop woken up to stop");
      } catch (Exception e) {
        LOG.error("training loop failed; starting over with new clients", e);
      }
    }
  }

  private void train(
      KafkaConsumer<String, byte[]> c, EventPublisher publisher, DatasetPrepared prepared)
      throws Exception {
    KafkaReporter reporter =
        new KafkaReporter(publisher, prepared.jobId(), prepared.spec(), registry);
    running.begin(prepared.jobId());
    Future<?> work =
        worker.submit(
            () -> {
              job.run(
                  prepared,
                  p -> BatchReplay.read(servers, p, Split.TRAIN, config.batchReadTimeout()),
                  running::stopReason,
                  reporter);
              return null;
            });
    c.pause(c.assignment());
    try {
      while (!work.isDone()) {
        c.poll(Duration.ofMillis(200));
        lastPoll = Instant.now();
      }
      work.get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      String reason =
          cause instanceof ModelSourceException || cause instanceof IllegalStateException
              ? cause.getMessage()
              : "internal error while training: " + cause;
      if (cause instanceof ModelSourceException) {
        LOG.warnf("job %s failed: %s", prepared.jobId(), reason);
      } else {
        LOG.errorf(cause, "job %s failed", prepared.jobId());
      }
      reporter.failed(reason, null);
    } finally {
      running.end();
      c.resume(c.assignment());
    }
  }

  private static Object read(EventDeserializer events, ConsumerRecord<String, byte[]> r) {
    try {
      return events.deserialize(r.topic(), r.value());
    } catch (SerializationException e) {
      LOG.warnf("skipped a record that is not a kft event at offset %d", r.offset());
      return null;
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            servers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "kft-trainer",
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
}
