package dev.kft.events;

import dev.kft.job.JobSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records that a job's data is cleaned, split, tokenized and published as batches; published on
 * {@link Topics#JOB_EVENTS}. The offset ranges let trainer and evaluator replay exactly these
 * batches from {@link Topics#BATCHES}.
 *
 * @param datasetSha256 sha256 of the normalised dataset: every kept example after cleaning, in
 *     split order, as {@code split \t label \t text \t pair \n} in UTF-8 (augmented ones excluded)
 * @param sourceSha256 sha256 of the source files' bytes, in order (train, validation, test)
 * @param tokenizerSha256 sha256 of the {@code tokenizer.json} used
 * @param labelNames label names by label id
 * @param maxLength the token limit sequences were truncated to
 * @param padding {@code longest} (each batch padded to its longest row) or {@code max_length}
 * @param rowsRead examples read from the sources
 * @param dropped rows dropped before splitting, by reason ({@code missing_label}, {@code
 *     empty_text}, {@code duplicate})
 * @param splits one report per split, by split name ({@code train}, {@code validation}, {@code
 *     test})
 * @param spec the job spec with its defaults, so that a service joining the job here (or resuming
 *     it after a restart) needs no earlier event
 * @param modelOrigin where the base model came from: {@code source} and, for a converted TensorFlow
 *     checkpoint, the digests of its content ({@code jar_sha256}, or {@code index_sha256} and
 *     {@code vocab_sha256})
 * @param vocabulary the pruned vocabulary the batches' token ids refer to, or null when they refer
 *     to the tokenizer's whole vocabulary
 * @param augmentation what augmentation did to the train split, or null when the job has none
 */
public record DatasetPrepared(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String datasetSha256,
    String sourceSha256,
    String tokenizerSha256,
    List<String> labelNames,
    int maxLength,
    String padding,
    long rowsRead,
    Map<String, Long> dropped,
    Map<String, SplitReport> splits,
    JobSpec spec,
    Map<String, String> modelOrigin,
    Vocabulary vocabulary,
    AugmentationReport augmentation)
    implements JobEvent {

  /**
   * What augmentation did to the train split.
   *
   * @param lexicon where synonyms came from: the job's {@code synonyms_uri}, or {@link
   *     #SHIPPED_LEXICON}
   * @param segmentation how texts were cut into words ({@code auto}, {@code word}, {@code char} or
   *     {@code whitespace})
   * @param operations what each operation did, by operation name
   */
  public record AugmentationReport(
      String lexicon, String segmentation, Map<String, OperationCount> operations) {

    /** The lexicon kft ships: HanLP's extended Tongyici Cilin ({@code CoreSynonym.txt}). */
    public static final String SHIPPED_LEXICON = "hanlp:CoreSynonym.txt";
  }

  /**
   * What one augmentation operation did.
   *
   * @param drawn times it was drawn for a source example
   * @param made new examples it made (a draw that left the text unchanged makes none)
   * @param wordsChanged words it replaced, inserted, moved or deleted over all its draws (for
   *     {@code back_translation}, the texts it changed)
   */
  public record OperationCount(long drawn, long made, long wordsChanged) {}

  /**
   * What one split holds and where its batches are.
   *
   * @param rows examples in the split (augmented ones included)
   * @param augmentedRows examples made by augmentation (train only)
   * @param labelCounts examples per label name
   * @param tokenLengths token counts before truncation
   * @param batchSize examples per batch (the last batch may hold fewer)
   * @param batches batches published for the split
   * @param offsets where those batches lie on {@link Topics#BATCHES}: every batch of the split is
   *     in the range; records of other jobs in it are skipped by key
   */
  public record SplitReport(
      long rows,
      long augmentedRows,
      Map<String, Long> labelCounts,
      TokenLengthStats tokenLengths,
      int batchSize,
      int batches,
      OffsetRange offsets) {}

  /**
   * Token counts of a split's sequences before truncation (special tokens included).
   *
   * @param truncated sequences longer than {@code max_length}, cut to it
   * @param unknownRate share of real tokens that are the tokenizer's unknown token
   */
  public record TokenLengthStats(
      int min,
      int max,
      double mean,
      int p50,
      int p95,
      int p99,
      long truncated,
      double unknownRate) {}

  /**
   * A half-open range {@code [fromOffset, untilOffset)} of one partition of a topic.
   *
   * @param partition the partition holding the job's records
   * @param fromOffset the first offset in the range
   * @param untilOffset one past the last offset in the range
   */
  public record OffsetRange(int partition, long fromOffset, long untilOffset) {}

  /**
   * A vocabulary pruned to the tokens a job uses: new token id {@code i} is the tokenizer's id
   * {@code keptIds()[i]}, so the kept tokens keep their order.
   *
   * @param sourceTokens tokens of the tokenizer's vocabulary
   * @param keptTokens tokens kept
   * @param parametersSaved embedding parameters dropped with the other tokens' rows
   * @param kept the kept ids as ascending ranges, {@code 0-104,672,700-702} (a lone id or {@code
   *     first-last}, both included)
   */
  public record Vocabulary(int sourceTokens, int keptTokens, long parametersSaved, String kept) {

    /** The vocabulary keeping {@code ids} (ascending) of a {@code sourceTokens} vocabulary. */
    public static Vocabulary of(int sourceTokens, int[] ids, int hiddenSize) {
      StringBuilder ranges = new StringBuilder();
      for (int i = 0; i < ids.length; ) {
        int j = i;
        while (j + 1 < ids.length && ids[j + 1] == ids[j] + 1) {
          j++;
        }
        ranges.append(ranges.isEmpty() ? "" : ",").append(ids[i]);
        if (j > i) {
          ranges.append('-').append(ids[j]);
        }
        i = j + 1;
      }
      return new Vocabulary(
          sourceTokens,
          ids.length,
          (long) (sourceTokens - ids.length) * hiddenSize,
          ranges.toString());
    }

    /** The kept ids, ascending: new id {@code i} is the tokenizer's {@code keptIds()[i]}. */
    public int[] keptIds() {
      int[] ids = new int[keptTokens];
      int n = 0;
      for (String range : kept.split(",")) {
        int dash = range.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
        for (int id = first; id <= last; id++) {
          ids[n++] = id;
        }
      }
      return ids;
    }
  }
}
