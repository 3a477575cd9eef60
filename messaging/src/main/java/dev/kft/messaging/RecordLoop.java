package dev.kft.messaging;

import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer loop on a thread of its own for services whose work on one record takes long (data
 * preparation, training): one record at a time, offsets committed by the subclass when the record's
 * outcome is published, long work run on a worker while the loop keeps polling with its partitions
 * paused so the consumer stays in its group. On a failure the loop starts over with new clients;
 * uncommitted records are read again.
 *
 * @param <R> what the subclass opens with each consumer (a producer, for example)
 */
public abstract class RecordLoop<R extends AutoCloseable> {

  private static final Logger LOG = Logger.getLogger(RecordLoop.class.getName());

  private final String name;
  private final String bootstrapServers;
  private final String groupId;
  private final MeterRegistry registry;
  private final AtomicBoolean running = new AtomicBoolean();
  private final EventDeserializer events = new EventDeserializer();
  private final ExecutorService worker;
  private volatile Instant lastPoll = Instant.now();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  /** {@code registry} gets each consumer's client metrics (lag, fetch rates). */
  protected RecordLoop(
      String name, String bootstrapServers, String groupId, MeterRegistry registry) {
    this.name = name;
    this.bootstrapServers = bootstrapServers;
    this.groupId = groupId;
    this.registry = registry;
    this.worker = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-worker"));
  }

  /** Opens what {@link #handle} needs besides the consumer; closed when the consumer is. */
  protected abstract R open() throws Exception;

  /** Subscribes the consumer to its topics. */
  protected abstract void subscribe(KafkaConsumer<String, byte[]> consumer) throws Exception;

  /** Handles one record; commits its offset, directly or in a transaction, once settled. */
  protected abstract void handle(
      KafkaConsumer<String, byte[]> consumer, R resources, ConsumerRecord<String, byte[]> record)
      throws Exception;

  public void start() {
    running.set(true);
    thread = new Thread(this::run, name);
    thread.start();
  }

  public void stop() throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(TimeUnit.SECONDS.toMillis(30));
    worker.shutdownNow();
  }

  /** When the loop last polled Kafka; readiness fails when this grows old. */
  public Instant lastPoll() {
    return lastPoll;
  }

  public boolean alive() {
    return running.get() && thread != null && thread.isAlive();
  }

  protected boolean running() {
    return running.get();
  }

  protected String bootstrapServers() {
    return bootstrapServers;
  }

  /** The record's kft event, or null (logged) when it is not one. */
  protected Event event(ConsumerRecord<String, byte[]> r) {
    try {
      return events.deserialize(r.topic(), r.value());
    } catch (SerializationException e) {
      LOG.warning("skipped a record that is not a kft event at " + r.topic() + "@" + r.offset());
      return null;
    }
  }

  /** {@code <prefix>-<host name>}: one transactional id per instance, the same after a restart. */
  protected static String transactionalId(String prefix) {
    try {
      return prefix + "-" + InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return prefix + "-localhost";
    }
  }

  /**
   * Runs {@code work} on the worker while polling the paused consumer, until it is done, the
   * deadline passes, {@code abandon} says so, or the loop stops.
   *
   * @return the work's future; not done when it was given up
   */
  protected <T> Future<T> whilePolling(
      KafkaConsumer<String, byte[]> c,
      java.util.concurrent.Callable<T> work,
      Instant deadline,
      BooleanSupplier abandon) {
    Future<T> future = worker.submit(work);
    c.pause(c.assignment());
    try {
      while (!future.isDone()
          && !abandon.getAsBoolean()
          && Instant.now().isBefore(deadline)
          && running.get()) {
        c.poll(Duration.ofMillis(200));
        lastPoll = Instant.now();
      }
    } finally {
      c.resume(c.assignment());
    }
    return future;
  }

  private KafkaClientMetrics bind(KafkaConsumer<String, byte[]> c) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(c);
    metrics.bindTo(registry);
    return metrics;
  }

  private void run() {
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = newConsumer();
          KafkaClientMetrics metrics = bind(c);
          R resources = open()) {
        consumer = c;
        subscribe(c);
        while (running.get()) {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
            handle(c, resources, record);
          }
          lastPoll = Instant.now();
        }
      } catch (WakeupException e) {
        LOG.fine(name + " woken up to stop");
      } catch (Exception e) {
        LOG.log(Level.SEVERE, name + " failed; starting over with new clients", e);
        pause(Duration.ofSeconds(2));
      }
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            groupId,
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

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
