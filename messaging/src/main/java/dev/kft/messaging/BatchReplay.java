package dev.kft.messaging;

import dev.kft.batch.BatchCodec;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one split of a job's batches back from {@code kft.batches}, by the offset range its {@link
 * DatasetPrepared} names: committed records only, other jobs' records in the range skipped, batches
 * in index order. Used by the trainer (every epoch replays the same batches) and the evaluator.
 */
public final class BatchReplay {

  private BatchReplay() {}

  /**
   * Reads every batch of {@code split}.
   *
   * @throws IllegalStateException when the range does not hold exactly the batches the report
   *     counts
   * @throws KafkaUnavailableException when they do not arrive within {@code timeout}
   */
  public static List<TokenizedBatch> read(
      KafkaConnection kafka, DatasetPrepared prepared, Split split, Duration timeout) {
    DatasetPrepared.SplitReport report = prepared.splits().get(split.label());
    if (report == null) {
      return List.of();
    }
    DatasetPrepared.OffsetRange range = report.offsets();
    TopicPartition partition = new TopicPartition(Topics.BATCHES, range.partition());
    List<TokenizedBatch> batches = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        TopicScan.consumer(
            kafka, Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20))) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, range.fromOffset());
      Instant deadline = Instant.now().plus(timeout);
      while (consumer.position(partition) < range.untilOffset()) {
        if (Instant.now().isAfter(deadline)) {
          throw new KafkaUnavailableException(
              "job "
                  + prepared.jobId()
                  + ": "
                  + split.label()
                  + " batches did not arrive within "
                  + timeout,
              null);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < range.untilOffset() && prepared.jobId().equals(record.key())) {
            TokenizedBatch batch = BatchCodec.decode(record.value());
            if (batch.split() == split) {
              batches.add(batch);
            }
          }
        }
      }
    }
    batches.sort(Comparator.comparingInt(TokenizedBatch::index));
    for (int i = 0; i < batches.size(); i++) {
      if (batches.get(i).index() != i) {
        throw new IllegalStateException(
            "job "
                + prepared.jobId()
                + ": "
                + split.label()
                + " batch "
                + i
                + " is missing from offsets "
                + range);
      }
    }
    if (batches.size() != report.batches()) {
      throw new IllegalStateException(
          "job "
              + prepared.jobId()
              + ": "
              + split.label()
              + " has "
              + batches.size()
              + " batches in offsets "
              + range
              + ", the report counts "
              + report.batches());
    }
    return batches;
  }
}
