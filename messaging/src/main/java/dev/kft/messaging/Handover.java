package dev.kft.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What a rebalance does to a {@link RecordLoop}'s record in hand: partitions assigned while the
 * loop is busy stay paused, and when the partition of the record in hand is revoked, the work is
 * asked to wrap up and the revocation waits for it (or cancels it, when its outcome would only be
 * dropped), so that the partition's next owner never runs the same work at the same time.
 */
final class Handover implements ConsumerRebalanceListener {

  private static final Logger LOG = Logger.getLogger(Handover.class);

  /** How long a revocation waits for the work to wrap up: well within the rebalance timeout. */
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final String name;
  private final RecordLoop<?> loop;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile TopicPartition inHand;
  private volatile Future<?> busy;
  private volatile boolean handedOver;

  Handover(String name, RecordLoop<?> loop) {
    this.name = name;
    this.loop = loop;
  }

  void attach(KafkaConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  void inHand(TopicPartition partition) {
    inHand = partition;
  }

  TopicPartition inHand() {
    return inHand;
  }

  /** The work of the record in hand has started on the worker. */
  void busy(Future<?> work) {
    handedOver = false;
    busy = work;
  }

  void idle() {
    busy = null;
  }

  /** Whether the record in hand was handed over since its work started. */
  boolean handedOver() {
    return handedOver;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      loop.partitionsRevoked(partitions);
    }
    Future<?> work = busy;
    if (work == null || !partitions.contains(inHand)) {
      return;
    }
    LOG.warnf("%s: %s revoked while busy; handing its work over", name, inHand);
    handedOver = true;
    if (!loop.handOver()) {
      work.cancel(true);
      return;
    }
    try {
      work.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.errorf("%s: the work did not wrap up within %s; cancelling it", name, TIMEOUT);
      work.cancel(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | CancellationException e) {
      LOG.debugf("%s: the handed-over work ended with %s", name, e);
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (busy != null) {
      consumer.pause(partitions);
    }
  }

  /** Records a poll returns while busy are not handled now: they are read again later. */
  static void keepForLater(
      KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    for (TopicPartition p : records.partitions()) {
      consumer.seek(p, records.records(p).get(0).offset());
      consumer.pause(List.of(p));
    }
  }
}
