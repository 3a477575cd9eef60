package dev.kft.messaging;

import dev.kft.events.Event;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.event.Startup;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * A consumer loop on a thread of its own for services whose work on one record takes long (data
 * preparation, training, evaluation): one record at a time, offsets committed by the subclass when
 * the record's outcome is published, long work run on a worker while the loop keeps polling with
 * its partitions paused so the consumer stays in its group. On a failure the loop starts over with
 * new clients; uncommitted records are read again. Why kft does not use SmallRye channels for this
 * work is in {@code docs/decisions/0001-long-work-outside-smallrye.md}.
 *
 * <p>Rebalances (cooperative, so only partitions that move are revoked) never lose or double work:
 * partitions assigned while busy stay paused, and when the partition of the record in hand is
 * revoked, {@link #handOver} asks the work to wrap up and the revocation waits for it, or cancels
 * it (so the next owner never runs it at the same time), and the record is left uncommitted for the
 * next owner ({@link Handover}). A record that is not a kft event is parked in {@code <topic>.dlq}
 * ({@link DeadLetters}) and committed past, and so is one whose handling keeps failing past its
 * retry budget ({@link Failures}).
 *
 * <p>While a record is handled, its key (the job id: every loop reads job-keyed topics) is in the
 * logging context as {@value #JOB_ID}, on the loop's thread and on the worker's, so that every log
 * line about a job names it (a field of its own in JSON logs).
 *
 * <p>A subclass that is a CDI bean needs no lifecycle code of its own: it inherits the observers
 * that start the loop with the application and stop it before the application ends, and {@link
 * LoopReadiness} reports it.
 *
 * @param <R> what the subclass opens with each consumer (a producer, for example)
 */
public abstract class RecordLoop<R extends AutoCloseable> {

  private static final Logger LOG = Logger.getLogger(RecordLoop.class);

  /** The logging context key of the job a log line is about. */
  public static final String JOB_ID = "job_id";

  private final String name;
  private final KafkaConnection kafka;
  private final String groupId;
  private final MeterRegistry registry;
  private final AtomicBoolean running = new AtomicBoolean();
  private final ExecutorService worker;
  private volatile Instant lastPoll = Instant.now();
  private volatile KafkaConsumer<String, byte[]> current;
  private final Handover handover;
  private Thread thread;

  /** {@code registry} gets each consumer's client metrics (lag, fetch rates). */
  protected RecordLoop(String name, KafkaConnection kafka, String groupId, MeterRegistry registry) {
    this.name = name;
    this.kafka = kafka;
    this.groupId = groupId;
    this.registry = registry;
    this.worker = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-worker"));
    this.handover = new Handover(name, this);
  }

  /** Opens what {@link #handle} needs besides the consumer; closed when the consumer is. */
  protected abstract R open() throws Exception;

  /** The topics the loop reads; asked each time it subscribes with new clients. */
  protected abstract List<String> topics() throws Exception;

  /**
   * Asks the work in hand to wrap up because its partition was revoked, and says whether to wait
   * for it (the trainer checkpoints and stops). By default the work is cancelled at once: its
   * outcome would be dropped anyway, since only the loop publishes it.
   *
   * @return true to wait for the work to end, false to cancel it
   */
  protected boolean handOver() {
    return false;
  }

  /**
   * Partitions were taken away by a rebalance: state kept for their jobs may go stale while another
   * instance works on them. By default nothing is kept.
   */
  protected void partitionsRevoked(Collection<TopicPartition> partitions) {}

  /** Handles one record; commits its offset, directly or in a transaction, once settled. */
  protected abstract void handle(
      KafkaConsumer<String, byte[]> consumer, R resources, ConsumerRecord<String, byte[]> record)
      throws Exception;

  /** The loop's name: its thread's name and its readiness check's. */
  public String name() {
    return name;
  }

  void startWithApplication(@Observes Startup event) {
    start();
  }

  void stopWithApplication(@Observes Shutdown event) throws InterruptedException {
    stop();
  }

  public void start() {
    running.set(true);
    thread = new Thread(this::run, name);
    thread.start();
  }

  public void stop() throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, byte[]> consumer = current;
    if (consumer != null) {
      consumer.wakeup();
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

  protected KafkaConnection kafka() {
    return kafka;
  }

  /**
   * The record's kft event, or null for an event of a type this version does not know.
   *
   * @throws PoisonRecordException when it is not an event, which parks it in the dead-letter topic
   */
  protected Event event(ConsumerRecord<String, byte[]> record) {
    return ConsumedEvents.of(record);
  }

  /** {@code <prefix>-<host name>}: one transactional id per instance, the same after a restart. */
  protected static String transactionalId(String prefix) {
    return TransactionalPublisher.transactionalId(prefix);
  }

  /**
   * Runs {@code work} on the worker while polling the paused consumer, until it is done, the
   * deadline passes, {@code abandon} says so, or the loop stops.
   *
   * @return the work's future; not done when it was given up
   */
  protected <T> Future<T> whilePolling(
      KafkaConsumer<String, byte[]> consumer,
      Callable<T> work,
      Instant deadline,
      BooleanSupplier abandon) {
    Object job = MDC.get(JOB_ID);
    Future<T> future =
        worker.submit(
            () -> {
              // the worker is a thread of its own: it inherits no logging context
              if (job != null) {
                MDC.put(JOB_ID, job);
              }
              try {
                return work.call();
              } finally {
                MDC.remove(JOB_ID);
              }
            });
    handover.busy(future);
    consumer.pause(consumer.assignment());
    try {
      while (!future.isDone()
          && !handover.handedOver()
          && !abandon.getAsBoolean()
          && Instant.now().isBefore(deadline)
          && running.get()) {
        Handover.keepForLater(consumer, consumer.poll(Duration.ofMillis(200)));
        lastPoll = Instant.now();
      }
    } finally {
      handover.idle();
      consumer.resume(consumer.assignment());
    }
    if (handover.handedOver()) {
      throw new HandedOverException(
          handover.inHand() + " was revoked while its record was in hand");
    }
    return future;
  }

  private KafkaClientMetrics bind(KafkaConsumer<String, byte[]> consumer) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
    metrics.bindTo(registry);
    return metrics;
  }

  private void run() {
    Failures failures = new Failures();
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> consumer = newConsumer();
          KafkaClientMetrics metrics = bind(consumer);
          DeadLetters dead = new DeadLetters(kafka, groupId);
          R resources = open()) {
        current = consumer;
        handover.attach(consumer);
        consumer.subscribe(topics(), handover);
        while (running.get()) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            handleOne(consumer, resources, dead, failures, record);
          }
          lastPoll = Instant.now();
        }
      } catch (WakeupException e) {
        LOG.debugf("%s woken up to stop", name);
      } catch (Exception e) {
        Duration pause = failures.pause();
        LOG.errorf(e, "%s failed; starting over with new clients in %d s", name, pause.toSeconds());
        pause(pause);
      }
    }
  }

  /** Handles one record; parks it when it is poison or its retry budget is spent. */
  private void handleOne(
      KafkaConsumer<String, byte[]> consumer,
      R resources,
      DeadLetters dead,
      Failures failures,
      ConsumerRecord<String, byte[]> record)
      throws Exception {
    handover.inHand(new TopicPartition(record.topic(), record.partition()));
    if (record.key() != null) {
      MDC.put(JOB_ID, record.key());
    }
    try {
      handle(consumer, resources, record);
      failures.clear();
    } catch (HandedOverException e) {
      LOG.infof("%s: %s; its new owner reads it again", name, e.getMessage());
    } catch (PoisonRecordException e) {
      dead.parkAndSkip(consumer, record, e.getMessage());
    } catch (Exception e) {
      if (!failures.add(record, Instant.now())) {
        throw e;
      }
      dead.parkAndSkip(consumer, record, failures.describe(e));
      failures.clear();
    } finally {
      handover.inHand(null);
      MDC.remove(JOB_ID);
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    return TopicScan.consumer(
        kafka,
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            groupId,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            1,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName()));
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
