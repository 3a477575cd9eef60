package dev.kft.registry.messaging;

import dev.kft.events.Topics;
import dev.kft.messaging.Backoff;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TopicScan;
import dev.kft.messaging.TransactionalPublisher;
import dev.kft.registry.persistence.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.event.Startup;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Publishes the {@link Outbox} on {@code kft.models}, exactly once: entries go out in order in a
 * Kafka transaction, each with its sequence number in a header, and are deleted once it commits.
 * The same transaction commits the last sequence number it carries as the offset of a consumer
 * group of its own, so after any failure, or when another instance takes over the relay, Kafka
 * itself says which entries are already out. The producer's transactional id is the same on every
 * instance: taking over aborts whatever a predecessor left open.
 */
@ApplicationScoped
public class OutboxRelay {

  /** The header carrying an entry's sequence number. */
  public static final String SEQ_HEADER = "kft-outbox-seq";

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final int BATCH = 100;
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
  private static final String GROUP = "kft-registry-outbox";
  private static final TopicPartition POSITION = new TopicPartition(Topics.MODELS, 0);

  private final Outbox outbox;
  private final KafkaConnection kafka;
  private final Semaphore wakeUp = new Semaphore(0);
  private final AtomicLong published = new AtomicLong();
  private volatile boolean running;
  private volatile Instant failingSince;
  private Thread thread;

  public OutboxRelay(Outbox outbox, MeterRegistry metrics, KafkaConnection kafka) {
    this.outbox = outbox;
    this.kafka = kafka;
    metrics.more().counter("kft.registry.outbox.published", List.of(), published);
  }

  void start(@Observes Startup startup) {
    running = true;
    thread = new Thread(this::loop, "kft-outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes Shutdown shutdown) throws InterruptedException {
    running = false;
    wakeUp.release();
    thread.join(10_000);
  }

  /** Asks the relay to look at the outbox now rather than at its next round. */
  public void wake() {
    wakeUp.release();
  }

  /** Since when the relay has been failing to publish, or null when it is not. */
  public Instant failingSince() {
    return failingSince;
  }

  private void loop() {
    Duration pause = Duration.ofMillis(500);
    while (running) {
      Optional<Connection> lease = Optional.empty();
      try {
        lease = outbox.lead();
        if (lease.isEmpty()) {
          idle();
          continue;
        }
        relay(lease.get());
        pause = Duration.ofMillis(500);
      } catch (Exception e) {
        if (failingSince == null) {
          failingSince = Instant.now();
        }
        LOG.warnf("outbox relay failed (%s); starting over in %d ms", e, pause.toMillis());
        sleep(pause);
        pause = Backoff.doubled(pause, MAX_PAUSE);
      } finally {
        lease.ifPresent(OutboxRelay::release);
      }
    }
  }

  /** Relays while this instance holds the lease and nothing fails. */
  private void relay(Connection lease) throws Exception {
    try (TransactionalPublisher publisher =
        new TransactionalPublisher(kafka, "kft-registry-outbox")) {
      long done = lastPublished();
      if (done > 0) {
        outbox.published(done);
      }
      failingSince = null;
      while (running && lease.isValid(5)) {
        List<Outbox.Entry> entries = outbox.pending(BATCH);
        if (entries.isEmpty()) {
          idle();
          continue;
        }
        long last = entries.get(entries.size() - 1).seq();
        publisher.inTransaction(
            tx -> {
              for (Outbox.Entry e : entries) {
                tx.sendWithHeader(
                    e.topic(), e.key(), e.payload(), SEQ_HEADER, String.valueOf(e.seq()));
              }
            },
            Map.of(POSITION, new OffsetAndMetadata(last)),
            new ConsumerGroupMetadata(GROUP));
        outbox.published(last);
        published.addAndGet(entries.size());
      }
    }
  }

  /** The highest sequence number a committed transaction carried to {@code kft.models}. */
  private long lastPublished() {
    try (KafkaConsumer<String, byte[]> consumer =
        TopicScan.consumer(kafka, Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP))) {
      OffsetAndMetadata position =
          consumer.committed(Set.of(POSITION), Duration.ofSeconds(30)).get(POSITION);
      return position == null ? 0 : position.offset();
    }
  }

  private void idle() throws InterruptedException {
    wakeUp.tryAcquire(IDLE.toMillis(), TimeUnit.MILLISECONDS);
    wakeUp.drainPermits();
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void release(Connection lease) {
    try (lease) {
      if (!lease.isClosed() && lease.isValid(2)) {
        lease.createStatement().execute("select pg_advisory_unlock_all()");
      }
    } catch (SQLException e) {
      LOG.debugf("releasing the outbox lease: %s", e);
    }
  }
}
