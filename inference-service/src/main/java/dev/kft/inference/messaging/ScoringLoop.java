package dev.kft.inference.messaging;

import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import dev.kft.events.ScoringDeclared;
import dev.kft.events.ScoringSwitched;
import dev.kft.events.Topics;
import dev.kft.inference.domain.Classifier.Score;
import dev.kft.inference.domain.LoadedModels;
import dev.kft.inference.domain.ModelCatalog;
import dev.kft.inference.domain.ModelRef;
import dev.kft.inference.domain.ScoredText;
import dev.kft.messaging.Backoff;
import dev.kft.messaging.DeadLetters;
import dev.kft.messaging.TopicScan;
import dev.kft.text.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Scores one deployment's input topic exactly once: each poll's records are classified by the
 * version the deployment's model reference points to at that moment, and their predictions (on the
 * output topic, under the input's key), any records parked as unusable and any {@code
 * ScoringSwitched} go out in one Kafka transaction with the input offsets. A crash before the
 * commit leaves nothing visible; the records are read again.
 */
final class ScoringLoop {

  private static final Logger LOG = Logger.getLogger(ScoringLoop.class);

  private final ScoringDeclared deployment;
  private final ModelRef ref;
  private final String bootstrapServers;
  private final String transactionalId;
  private final ModelCatalog catalog;
  private final LoadedModels models;
  private final ScoringMetrics metrics;
  private final int batchSize;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<TopicPartition, Integer> lastVersion = new HashMap<>();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;

  ScoringLoop(
      ScoringDeclared deployment,
      String bootstrapServers,
      String transactionalId,
      ModelCatalog catalog,
      LoadedModels models,
      ScoringMetrics metrics,
      int batchSize) {
    this.deployment = deployment;
    this.ref = ModelRef.parse(deployment.model());
    this.bootstrapServers = bootstrapServers;
    this.transactionalId = transactionalId;
    this.catalog = catalog;
    this.models = models;
    this.metrics = metrics;
    this.batchSize = batchSize;
    this.thread = new Thread(this::run, "kft-scoring-" + deployment.deployment());
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(Duration.ofSeconds(30).toMillis());
  }

  private void run() {
    Duration pause = Duration.ofSeconds(1);
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = newConsumer();
          KafkaProducer<String, byte[]> producer = newProducer()) {
        consumer = c;
        awaitCatalog();
        producer.initTransactions();
        lastVersion.clear();
        c.subscribe(List.of(deployment.fromTopic()));
        while (running.get()) {
          ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
          if (!records.isEmpty()) {
            score(c, producer, records);
            pause = Duration.ofSeconds(1);
          }
        }
      } catch (WakeupException e) {
        LOG.debugf("scoring %s woken up to stop", deployment.deployment());
      } catch (Exception e) {
        LOG.warnf(
            "scoring %s: %s; starting over with new clients in %d s",
            deployment.deployment(), e, pause.toSeconds());
        sleep(pause);
        pause = Backoff.doubled(pause, Duration.ofMinutes(1));
      }
    }
  }

  /**
   * Waits until the catalog has taken in every registry event on {@code kft.models} now: after a
   * restart the catalog is rebuilt from the log, and an alias read half-way would score records
   * with a version the alias no longer points to.
   */
  private void awaitCatalog() throws InterruptedException {
    List<UUID> events = new ArrayList<>();
    TopicScan.events(
        bootstrapServers,
        Topics.MODELS,
        Duration.ofMinutes(2),
        (key, e) -> events.add(e.eventId()));
    while (running.get() && !catalog.hasApplied(events)) {
      Thread.sleep(200);
    }
  }

  /** Scores one poll's records in one transaction with their offsets. */
  private void score(
      KafkaConsumer<String, byte[]> c,
      KafkaProducer<String, byte[]> producer,
      ConsumerRecords<String, byte[]> records)
      throws Exception {
    // the version the reference means now; an alias move lands between two polls
    ModelCatalog.Version version = catalog.resolve(ref);
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
    records.forEach(all::add);
    producer.beginTransaction();
    try {
      List<ConsumerRecord<String, byte[]>> usable = new ArrayList<>();
      List<Text> texts = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : all) {
        ScoredText.Input input = ScoredText.input(r.value(), deployment.textField());
        if (input.problem() != null) {
          producer.send(DeadLetters.record(r, input.problem(), "kft-scoring-" + name()));
        } else {
          usable.add(r);
          texts.add(Text.of(input.text(), null));
        }
      }
      for (int start = 0; start < usable.size(); start += batchSize) {
        int end = Math.min(usable.size(), start + batchSize);
        List<List<Score>> predictions = models.predict(version, texts.subList(start, end), 1);
        for (int i = start; i < end; i++) {
          send(producer, usable.get(i), predictions.get(i - start).get(0), version);
        }
      }
      producer.sendOffsetsToTransaction(next(all), c.groupMetadata());
      producer.commitTransaction();
    } catch (Exception e) {
      abort(producer);
      throw e;
    }
    metrics.scored(name(), all.size(), version.version());
  }

  private void send(
      KafkaProducer<String, byte[]> producer,
      ConsumerRecord<String, byte[]> r,
      Score best,
      ModelCatalog.Version version) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Integer before = lastVersion.put(tp, version.version());
    if (before != null && before != version.version()) {
      ScoringSwitched switched =
          new ScoringSwitched(
              Event.newId(),
              name(),
              Instant.now(),
              name(),
              deployment.model(),
              before,
              version.version(),
              r.topic(),
              r.partition(),
              r.offset());
      producer.send(
          new ProducerRecord<>(
              Topics.SCORING, name(), new EventSerializer().serialize(Topics.SCORING, switched)));
      metrics.switched(name());
      LOG.infof(
          "scoring %s: %s moved from v%d to v%d at %s-%d@%d",
          name(),
          deployment.model(),
          before,
          version.version(),
          r.topic(),
          r.partition(),
          r.offset());
    }
    producer.send(
        new ProducerRecord<>(
            deployment.toTopic(),
            r.key(),
            ScoredText.output(
                best, version.name(), version.version(), r.topic(), r.partition(), r.offset())));
  }

  private String name() {
    return deployment.deployment();
  }

  private static Map<TopicPartition, OffsetAndMetadata> next(
      List<ConsumerRecord<String, byte[]>> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      offsets.merge(
          new TopicPartition(r.topic(), r.partition()),
          new OffsetAndMetadata(r.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  private static void abort(KafkaProducer<String, byte[]> producer) {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      LOG.debugf("abort failed: %s", e);
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "kft-scoring-" + name(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            4 * batchSize,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName()),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  private KafkaProducer<String, byte[]> newProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
