package dev.kft.inference.messaging;

import dev.kft.events.Event;
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
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TopicScan;
import dev.kft.messaging.TransactionalPublisher;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
  private final KafkaConnection kafka;
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
      KafkaConnection kafka,
      String transactionalId,
      ModelCatalog catalog,
      LoadedModels models,
      ScoringMetrics metrics,
      int batchSize) {
    this.deployment = deployment;
    this.ref = ModelRef.parse(deployment.model());
    this.kafka = kafka;
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
      try (KafkaConsumer<String, byte[]> c = newConsumer()) {
        consumer = c;
        awaitCatalog();
        try (TransactionalPublisher publisher =
            new TransactionalPublisher(kafka, transactionalId)) {
          lastVersion.clear();
          c.subscribe(List.of(deployment.fromTopic()));
          while (running.get()) {
            ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
              score(c, publisher, records);
              pause = Duration.ofSeconds(1);
            }
            metrics.lag(name(), lag(c));
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

  /** Records after the position of every partition {@code c} reads, as far as it knows. */
  private static long lag(KafkaConsumer<String, byte[]> c) {
    long total = 0;
    for (TopicPartition partition : c.assignment()) {
      total += c.currentLag(partition).orElse(0);
    }
    return total;
  }

  /**
   * Waits until the catalog has taken in every registry event on {@code kft.models} now: after a
   * restart the catalog is rebuilt from the log, and an alias read half-way would score records
   * with a version the alias no longer points to.
   */
  private void awaitCatalog() throws InterruptedException {
    List<UUID> events = new ArrayList<>();
    TopicScan.events(
        kafka, Topics.MODELS, Duration.ofMinutes(2), (key, e) -> events.add(e.eventId()));
    while (running.get() && !catalog.hasApplied(events)) {
      Thread.sleep(200);
    }
  }

  /** Scores one poll's records in one transaction with their offsets. */
  private void score(
      KafkaConsumer<String, byte[]> c,
      TransactionalPublisher publisher,
      ConsumerRecords<String, byte[]> records)
      throws Exception {
    // the version the reference means now; an alias move lands between two polls
    ModelCatalog.Version version = catalog.resolve(ref);
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
    records.forEach(all::add);
    publisher.inTransaction(
        tx -> {
          List<ConsumerRecord<String, byte[]>> usable = new ArrayList<>();
          List<Text> texts = new ArrayList<>();
          for (ConsumerRecord<String, byte[]> r : all) {
            ScoredText.Input input = ScoredText.input(r.value(), deployment.textField());
            if (input.problem() != null) {
              tx.send(DeadLetters.record(r, input.problem(), "kft-scoring-" + name()));
            } else {
              usable.add(r);
              texts.add(Text.of(input.text(), null));
            }
          }
          for (int start = 0; start < usable.size(); start += batchSize) {
            int end = Math.min(usable.size(), start + batchSize);
            List<List<Score>> predictions = models.predict(version, texts.subList(start, end), 1);
            for (int i = start; i < end; i++) {
              send(tx, usable.get(i), predictions.get(i - start).get(0), version);
            }
          }
        },
        next(all),
        c.groupMetadata());
    metrics.scored(name(), all.size(), version.version());
  }

  private void send(
      TransactionalPublisher.Transaction tx,
      ConsumerRecord<String, byte[]> r,
      Score best,
      ModelCatalog.Version version) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Integer before = lastVersion.put(tp, version.version());
    if (before != null && before != version.version()) {
      tx.sendEvent(
          Topics.SCORING,
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
              r.offset()));
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
    tx.send(
        deployment.toTopic(),
        r.key(),
        ScoredText.output(
            best, version.name(), version.version(), r.topic(), r.partition(), r.offset()));
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

  private KafkaConsumer<String, byte[]> newConsumer() {
    return TopicScan.consumer(
        kafka,
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            "kft-scoring-" + name(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            4 * batchSize,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName()));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
