package dev.kft.dataprep.domain;

import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.events.DatasetPrepared.AugmentationReport;
import dev.kft.events.DatasetPrepared.TokenLengthStats;
import dev.kft.events.DatasetPrepared.Vocabulary;
import dev.kft.io.Sha256;
import dev.kft.job.AugmentationSpec;
import dev.kft.job.DatasetSpec;
import dev.kft.job.JobSpec;
import dev.kft.job.Padding;
import dev.kft.text.Encoder;
import dev.kft.text.Encoder.Encoded;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a job's dataset into tokenized batches: read, clean, label, split (stratified, seeded),
 * augment the train split, tokenize and batch, with the figures of the dataset report. Each step is
 * deterministic in the job's seeds.
 */
public final class DataPreparation {

  /**
   * A prepared dataset.
   *
   * @param batches every split's batches, in publishing order
   * @param splits the report of every split present
   */
  public record Prepared(
      Map<Split, List<TokenizedBatch>> batches,
      Map<Split, SplitSummary> splits,
      List<String> labels,
      long rowsRead,
      Map<String, Long> dropped,
      String datasetSha256,
      String sourceSha256,
      String tokenizerSha256,
      Map<String, String> modelOrigin,
      Vocabulary vocabulary,
      AugmentationReport augmentation) {}

  /** Report figures of one split. */
  public record SplitSummary(
      long rows,
      long augmentedRows,
      Map<String, Long> labelCounts,
      TokenLengthStats tokens,
      int batchSize) {}

  private final DataSources sources;
  private final AugmentationInputs augmentationInputs;
  private final int maxRowChars;
  private final long maxRows;

  public DataPreparation(
      DataSources sources, AugmentationInputs augmentationInputs, int maxRowChars, long maxRows) {
    this.sources = sources;
    this.augmentationInputs = augmentationInputs;
    this.maxRowChars = maxRowChars;
    this.maxRows = maxRows;
  }

  public Prepared prepare(String jobId, JobSpec spec, BaseModel base) throws IOException {
    base.requireFits(spec.model().maxLength());
    DatasetSpec d = spec.dataset();
    RowCollector rows = new RowCollector(new Cleaner(d.cleaning()), maxRows);
    List<String> locations =
        d.uri() != null
            ? List.of(d.uri())
            : java.util.stream.Stream.of(d.trainUri(), d.validationUri(), d.testUri())
                .filter(java.util.Objects::nonNull)
                .toList();
    Digests digests = new Digests();
    for (int i = 0; i < locations.size(); i++) {
      rows.startFile(i);
      read(locations.get(i), d, rows, digests);
    }
    LabelIndex labels =
        spec.model().labels().isEmpty()
            ? LabelIndex.found(rows.kept().stream().map(RowCollector.Kept::label).toList())
            : LabelIndex.declared(spec.model().labels());
    Splitter.Parts parts = split(rows, labels, d, locations);
    digests.normalised(parts, labels.names());
    Augmenter.Augmentation augmented = augment(parts.train(), d);
    List<Example> train = new ArrayList<>(parts.train());
    train.addAll(augmented.made());
    if (d.augmentation() != null) {
      // mixes the new examples among the others, seeded so that a replay gives the same order
      long seed = d.augmentation().seed() != null ? d.augmentation().seed() : d.seed();
      Collections.shuffle(train, new Random(seed ^ spec.training().seed()));
    }
    Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
    splits.put(Split.TRAIN, train);
    splits.put(Split.VALIDATION, parts.validation());
    splits.put(Split.TEST, parts.test());
    requireBatchFits(train.size(), spec.training().perDeviceTrainBatchSize());
    return encode(jobId, spec, base, splits, labels, rows, digests, augmented.report());
  }

  private void read(String location, DatasetSpec d, RowCollector rows, Digests digests)
      throws IOException {
    try (InputStream in = new DigestInputStream(sources.open(location), digests.source())) {
      String format = d.format() != null ? d.format() : DatasetReader.formatOf(location);
      if (format == null) {
        throw new DataProblem(
            "cannot tell the format of '"
                + location
                + "' from its name; set dataset.format to csv, tsv or jsonl");
      }
      DatasetReader.Layout layout =
          new DatasetReader.Layout(
              format,
              d.delimiter().charAt(0),
              Charset.forName(d.encoding()),
              d.textColumn(),
              d.labelColumn(),
              d.textPairColumn(),
              maxRowChars);
      DatasetReader.read(in, "'" + location + "'", layout, rows);
    }
  }

  private static Splitter.Parts split(
      RowCollector rows, LabelIndex labels, DatasetSpec d, List<String> locations) {
    List<List<Example>> byFile = new ArrayList<>();
    locations.forEach(l -> byFile.add(new ArrayList<>()));
    for (RowCollector.Kept k : rows.kept()) {
      int id = labels.id(k.label(), k.row(), "'" + locations.get(k.file()) + "'");
      byFile.get(k.file()).add(new Example(k.row(), k.text(), k.pair(), id, false));
    }
    if (d.uri() != null) {
      return Splitter.split(
          byFile.get(0), labels.names().size(), d.split().validation(), d.split().test(), d.seed());
    }
    List<Example> train = byFile.get(0);
    Collections.shuffle(train, new Random(d.seed()));
    int next = 1;
    List<Example> validation = d.validationUri() != null ? byFile.get(next++) : List.of();
    List<Example> test = d.testUri() != null ? byFile.get(next) : List.of();
    return new Splitter.Parts(train, validation, test);
  }

  private Augmenter.Augmentation augment(List<Example> train, DatasetSpec d) throws IOException {
    AugmentationSpec a = d.augmentation();
    if (a == null) {
      return new Augmenter.Augmentation(List.of(), null);
    }
    long seed = a.seed() != null ? a.seed() : d.seed();
    return augmentationInputs.augmenter(a).augment(train, a.ratio(), seed);
  }

  private static void requireBatchFits(int trainRows, int batchSize) {
    if (trainRows < batchSize) {
      throw new DataProblem(
          "the train split has "
              + trainRows
              + " examples, fewer than one batch"
              + " (training.per_device_train_batch_size "
              + batchSize
              + ")");
    }
  }

  private static Prepared encode(
      String jobId,
      JobSpec spec,
      BaseModel base,
      Map<Split, List<Example>> splits,
      LabelIndex labels,
      RowCollector rows,
      Digests digests,
      AugmentationReport augmentation)
      throws IOException {
    int maxLength = spec.model().maxLength();
    Tokenized tokenized = tokenize(spec, base, splits);
    Map<Split, List<Example>> ordered = tokenized.examples();
    Map<Split, List<Encoded>> encoded = tokenized.encoded();
    int padId = tokenized.padId();
    String tokenizerSha256 = Sha256.file(base.tokenizerJson());
    Vocabulary vocabulary = null;
    if (spec.model().pruneVocabulary()) {
      PrunedIds pruned = PrunedIds.of(base, encoded.values(), padId);
      vocabulary = pruned.vocabulary();
      tokenizerSha256 = Sha256.of(pruned.tokenizer().json());
      padId = pruned.remap(padId);
    }
    int padTo = spec.model().padding() == Padding.MAX_LENGTH ? maxLength : 0;
    Map<Split, List<TokenizedBatch>> batches = new EnumMap<>(Split.class);
    Map<Split, SplitSummary> summaries = new EnumMap<>(Split.class);
    for (Split split : encoded.keySet()) {
      int batchSize = batchSize(spec, split);
      batches.put(
          split,
          Batcher.batches(
              jobId, split, ordered.get(split), encoded.get(split), batchSize, padTo, padId));
      summaries.put(
          split,
          new SplitSummary(
              splits.get(split).size(),
              splits.get(split).stream().filter(Example::augmented).count(),
              SplitStats.labelCounts(splits.get(split), labels.names()),
              SplitStats.tokens(encoded.get(split), maxLength),
              batchSize));
    }
    return new Prepared(
        batches,
        summaries,
        labels.names(),
        rows.read(),
        rows.dropped(),
        digests.normalisedHex(),
        digests.sourceHex(),
        tokenizerSha256,
        base.origin(),
        vocabulary,
        augmentation);
  }

  /** The splits' examples, in batch order, and their encodings. */
  private record Tokenized(
      Map<Split, List<Example>> examples, Map<Split, List<Encoded>> encoded, int padId) {}

  private static Tokenized tokenize(JobSpec spec, BaseModel base, Map<Split, List<Example>> splits)
      throws IOException {
    Map<Split, List<Example>> ordered = new EnumMap<>(Split.class);
    Map<Split, List<Encoded>> encoded = new EnumMap<>(Split.class);
    try (Encoder encoder = new Encoder(base.tokenizerJson(), spec.model().maxLength())) {
      for (Map.Entry<Split, List<Example>> s : splits.entrySet()) {
        if (s.getValue().isEmpty()) {
          continue;
        }
        List<Example> examples = s.getValue();
        List<Encoded> split = encoder.encode(examples);
        if (spec.training().groupByLength()) {
          List<Integer> order = LengthGrouping.order(split, batchSize(spec, s.getKey()));
          examples = LengthGrouping.arrange(examples, order);
          split = LengthGrouping.arrange(split, order);
        }
        ordered.put(s.getKey(), examples);
        encoded.put(s.getKey(), split);
      }
      return new Tokenized(ordered, encoded, encoder.padId());
    }
  }

  private static int batchSize(JobSpec spec, Split split) {
    return split == Split.TRAIN
        ? spec.training().perDeviceTrainBatchSize()
        : spec.training().perDeviceEvalBatchSize();
  }
}
