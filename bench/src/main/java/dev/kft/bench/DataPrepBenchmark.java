package dev.kft.bench;

import dev.kft.dataprep.domain.AugmentationInputs;
import dev.kft.dataprep.domain.BaseModel;
import dev.kft.dataprep.domain.DataPreparation;
import dev.kft.dataprep.domain.DataSources;
import dev.kft.dataprep.domain.DatasetReader;
import dev.kft.dataprep.domain.Example;
import dev.kft.dataprep.domain.OutboundPolicy;
import dev.kft.dataprep.messaging.PreparedEvents;
import dev.kft.io.ConfinedPaths;
import dev.kft.job.JobSpec;
import dev.kft.job.JobSpecs;
import dev.kft.local.KafkaBroker;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TransactionalPublisher;
import dev.kft.text.Encoder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows per second of data preparation for ChnSentiCorp (7,766 rows, max_length 128), from the CSV
 * file to a committed Kafka transaction holding every batch and the report, on an in-JVM broker;
 * with the time of tokenization alone for comparison.
 *
 * <p>Usage: {@code bench/run data-prep}.
 */
public final class DataPrepBenchmark {

  private static final String SPEC =
      """
      model: {source: bert-base-chinese, max_length: 128}
      dataset:
        uri: chnsenticorp/chnsenticorp_htl_all.csv
        text_column: review
        label_column: label
        cleaning: [nfkc, fullwidth_to_halfwidth, strip_html, strip_urls, clean_text, drop_empty,
          drop_duplicates]
      training: {per_device_train_batch_size: 16, per_device_eval_batch_size: 64}
      registry: {model_name: bench}
      """;

  private DataPrepBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of("data");
    Path tokenizer = Path.of("models", "bert-base-chinese", "tokenizer.json");
    JobSpec spec = JobSpecs.validate(JobSpecs.parse(SPEC)).spec();
    DataSources sources =
        new DataSources(
            new ConfinedPaths(List.of(data)),
            1L << 30,
            Duration.ofSeconds(30),
            OutboundPolicy.PUBLIC_ONLY);
    DataPreparation preparation =
        new DataPreparation(
            sources,
            new AugmentationInputs(sources, java.util.Optional.empty()),
            1 << 20,
            2_000_000);
    try (KafkaBroker broker = KafkaBroker.start();
        TransactionalPublisher publisher =
            new TransactionalPublisher(
                KafkaConnection.plaintext(broker.bootstrapServers()), "bench")) {
      double[] prepare = new double[4];
      double[] publish = new double[4];
      long rows = 0;
      for (int run = 0; run < 4; run++) {
        String jobId = "bench-" + run;
        long start = System.nanoTime();
        DataPreparation.Prepared prepared =
            preparation.prepare(jobId, spec, new BaseModel(tokenizer, 21128, 768, 512, Map.of()));
        long middle = System.nanoTime();
        publisher.inTransaction(
            tx -> PreparedEvents.publish(tx, jobId, spec, prepared), null, null);
        long end = System.nanoTime();
        prepare[run] = (middle - start) / 1e6;
        publish[run] = (end - middle) / 1e6;
        rows = prepared.rowsRead();
      }
      double tokenize =
          tokenizeMillis(data.resolve("chnsenticorp/chnsenticorp_htl_all.csv"), tokenizer);
      double total = best(prepare, publish);
      System.out.printf(
          Locale.ROOT,
          "ChnSentiCorp, %d rows, max_length 128, best of 3 after a" + " warm-up, %d cores%n",
          rows,
          Runtime.getRuntime().availableProcessors());
      System.out.println("| stage                                   |     ms |");
      System.out.println("|-----------------------------------------|-------:|");
      System.out.printf(
          Locale.ROOT, "| read, clean, split, tokenize, batch     | %6.0f |%n", min(prepare));
      System.out.printf(
          Locale.ROOT, "|   of which tokenization alone (approx.) | %6.0f |%n", tokenize);
      System.out.printf(
          Locale.ROOT, "| encode + publish + commit transaction   | %6.0f |%n", min(publish));
      System.out.printf(
          Locale.ROOT, "| total                                   | %6.0f |%n", total);
      System.out.printf(Locale.ROOT, "rows per second: %.0f%n", rows / (total / 1000));
    }
  }

  private static double tokenizeMillis(Path csv, Path tokenizer) throws Exception {
    List<Example> examples = new ArrayList<>();
    try (InputStream in = Files.newInputStream(csv)) {
      DatasetReader.read(
          in,
          "csv",
          new DatasetReader.Layout(
              "csv", ',', StandardCharsets.UTF_8, "review", "label", null, 1 << 20),
          row -> examples.add(new Example(row.row(), row.text(), null, 0, false)));
    }
    double best = Double.MAX_VALUE;
    try (Encoder encoder = new Encoder(tokenizer, 128)) {
      for (int run = 0; run < 4; run++) {
        long start = System.nanoTime();
        encoder.encode(examples);
        best = Math.min(best, (System.nanoTime() - start) / 1e6);
      }
    }
    return best;
  }

  private static double best(double[] a, double[] b) {
    double best = Double.MAX_VALUE;
    for (int i = 1; i < a.length; i++) {
      best = Math.min(best, a[i] + b[i]);
    }
    return best;
  }

  private static double min(double[] values) {
    double min = Double.MAX_VALUE;
    for (int i = 1; i < values.length; i++) {
      min = Math.min(min, values[i]);
    }
    return min;
  }
}
