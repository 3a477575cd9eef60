package dev.kft.dataprep.messaging;

import dev.kft.batch.BatchCodec;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.dataprep.domain.DataPreparation.Prepared;
import dev.kft.dataprep.domain.DataPreparation.SplitSummary;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.DatasetPrepared.OffsetRange;
import dev.kft.events.DatasetPrepared.SplitReport;
import dev.kft.events.Event;
import dev.kft.events.Topics;
import dev.kft.job.JobSpec;
import dev.kft.messaging.TransactionalPublisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Publishes a prepared dataset: its batches, then the {@code DatasetPrepared} that maps them. */
public final class PreparedEvents {

  /** What was written, for metrics. */
  public record Written(DatasetPrepared event, int batches, long bytes) {}

  private PreparedEvents() {}

  public static Written publish(
      TransactionalPublisher.Transaction tx, String jobId, JobSpec spec, Prepared prepared)
      throws Exception {
    Map<String, SplitReport> reports = new LinkedHashMap<>();
    int batches = 0;
    long bytes = 0;
    for (Split split : Split.values()) {
      List<TokenizedBatch> list = prepared.batches().get(split);
      if (list == null) {
        continue;
      }
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (TokenizedBatch batch : list) {
        byte[] encoded = BatchCodec.encode(batch);
        bytes += encoded.length;
        sent.add(tx.send(Topics.BATCHES, jobId, encoded));
      }
      tx.flush();
      batches += list.size();
      reports.put(split.label(), report(prepared.splits().get(split), list.size(), range(sent)));
    }
    DatasetPrepared event =
        new DatasetPrepared(
            Event.newId(),
            jobId,
            Instant.now(),
            prepared.datasetSha256(),
            prepared.sourceSha256(),
            prepared.tokenizerSha256(),
            prepared.labels(),
            spec.model().maxLength(),
            spec.model().padding().id(),
            prepared.rowsRead(),
            prepared.dropped(),
            reports,
            spec,
            prepared.modelOrigin(),
            prepared.vocabulary(),
            prepared.augmentation());
    tx.sendEvent(Topics.JOB_EVENTS, event);
    return new Written(event, batches, bytes);
  }

  private static SplitReport report(SplitSummary s, int batches, OffsetRange offsets) {
    return new SplitReport(
        s.rows(), s.augmentedRows(), s.labelCounts(), s.tokens(), s.batchSize(), batches, offsets);
  }

  private static OffsetRange range(List<Future<RecordMetadata>> sent) throws Exception {
    long from = Long.MAX_VALUE;
    long until = Long.MIN_VALUE;
    int partition = -1;
    for (Future<RecordMetadata> f : sent) {
      RecordMetadata m = f.get();
      partition = m.partition();
      from = Math.min(from, m.offset());
      until = Math.max(until, m.offset() + 1);
    }
    return new OffsetRange(partition, from, until);
  }
}
