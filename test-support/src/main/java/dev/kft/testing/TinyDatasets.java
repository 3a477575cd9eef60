package dev.kft.testing;

import dev.kft.events.DatasetPrepared;
import dev.kft.events.DatasetPrepared.OffsetRange;
import dev.kft.events.DatasetPrepared.SplitReport;
import dev.kft.events.DatasetPrepared.TokenLengthStats;
import dev.kft.events.Event;
import dev.kft.job.JobSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code DatasetPrepared} reports for trainer tests: a balanced two-label train split of 96 rows in
 * 12 batches of 8 tokens, at given offsets of partition 0 of {@code kft.batches}.
 */
public final class TinyDatasets {

  private TinyDatasets() {}

  public static DatasetPrepared trainOnly(
      String jobId, JobSpec spec, int maxLength, long fromOffset, long untilOffset) {
    return new DatasetPrepared(
        Event.newId(),
        jobId,
        Instant.now(),
        "d",
        "s",
        "t",
        List.of("neg", "pos"),
        maxLength,
        "longest",
        96,
        Map.of(),
        Map.of(
            "train",
            new SplitReport(
                96,
                0,
                Map.of("neg", 48L, "pos", 48L),
                new TokenLengthStats(8, 8, 8, 8, 8, 8, 0, 0),
                8,
                12,
                new OffsetRange(0, fromOffset, untilOffset))),
        spec,
        Map.of("source", "tiny"),
        null,
        null);
  }
}
