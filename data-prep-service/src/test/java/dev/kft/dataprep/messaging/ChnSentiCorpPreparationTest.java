package dev.kft.dataprep.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.DatasetPrepared.SplitReport;
import dev.kft.messaging.BatchReplay;
import dev.kft.messaging.KafkaConnection;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ChnSentiCorp goes from one job event to committed batches on the real broker; the batches are
 * read back read_committed and checked against the report.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@Tag("unit")
class ChnSentiCorpPreparationTest {

  private static final String DATA = "chnsenticorp/chnsenticorp_htl_all.csv";
  private static final String AUGMENT =
      ", augmentation: {ratio: 0.1, operations: [random_swap, random_deletion]}";

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  private DatasetPrepared prepare(long seed) {
    return assertInstanceOf(
        DatasetPrepared.class,
        Jobs.submitAndAwait(kafka, Jobs.job(DATA, AUGMENT + ", seed: " + seed, ", seed: " + seed)));
  }

  /** The job's batches of one split, read from the offsets its report names. */
  private static List<TokenizedBatch> batches(DatasetPrepared prepared, String split) {
    return BatchReplay.read(
        KafkaConnection.plaintext(KafkaBrokerResource.broker().bootstrapServers()),
        prepared,
        Split.valueOf(split.toUpperCase(java.util.Locale.ROOT)),
        Duration.ofSeconds(60));
  }

  @Test
  void batchesAddUpToTheReportAndAreStratifiedAndDeterministic() {
    DatasetPrepared first = prepare(42);
    assertEquals(7766, first.rowsRead());
    long dropped = first.dropped().values().stream().mapToLong(Long::longValue).sum();
    long kept = first.splits().values().stream().mapToLong(s -> s.rows() - s.augmentedRows()).sum();
    assertEquals(first.rowsRead(), kept + dropped, "every row read is kept or dropped");
    assertEquals(List.of("0", "1"), first.labelNames());

    Map<String, List<TokenizedBatch>> bySplit = new HashMap<>();
    Map<Integer, Long> original = new HashMap<>();
    for (String split : List.of("train", "validation", "test")) {
      bySplit.put(split, batches(first, split));
      for (TokenizedBatch b : bySplit.get(split)) {
        for (int r = 0; r < b.rows(); r++) {
          if (b.rowIds()[r] > 0) {
            original.merge(b.labels()[r], 1L, Long::sum);
          }
        }
      }
    }
    for (String split : List.of("train", "validation", "test")) {
      SplitReport report = first.splits().get(split);
      List<TokenizedBatch> batches = bySplit.get(split);
      assertEquals(report.batches(), batches.size(), split + " batches in the offset range");
      assertEquals(report.rows(), batches.stream().mapToInt(TokenizedBatch::rows).sum());
      assertEquals(
          List.copyOf(java.util.stream.IntStream.range(0, batches.size()).boxed().toList()),
          batches.stream().map(TokenizedBatch::index).sorted().toList());
      boolean anyAugmented =
          batches.stream().anyMatch(b -> Arrays.stream(b.rowIds()).anyMatch(id -> id < 0));
      assertEquals(split.equals("train"), anyAugmented, "augmented rows only in train");
      if (!split.equals("train")) {
        double fraction = 0.1;
        report
            .labelCounts()
            .forEach(
                (label, n) ->
                    assertTrue(
                        Math.abs(n - fraction * original.get(Integer.parseInt(label))) <= 1.0,
                        split + " label " + label + ": " + n + " of " + original));
      }
      assertTrue(batches.stream().allMatch(b -> b.sequenceLength() <= 128));
    }

    DatasetPrepared again = prepare(42);
    assertEquals(first.datasetSha256(), again.datasetSha256());
    assertEquals(
        contents(batches(first, "train")),
        contents(batches(again, "train")),
        "same seed, same batches");
    DatasetPrepared other = prepare(7);
    assertNotEquals(
        contents(batches(first, "train")),
        contents(batches(other, "train")),
        "another seed, other batches");
  }

  private static List<String> contents(List<TokenizedBatch> batches) {
    return batches.stream()
        .sorted((a, b) -> Integer.compare(a.index(), b.index()))
        .map(b -> Arrays.toString(b.inputIds()) + Arrays.toString(b.labels()))
        .toList();
  }
}
