package dev.kft.bench;

import ai.djl.ndarray.NDManager;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.inference.domain.Classifier;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Inference;
import dev.kft.text.Encoder;
import dev.kft.text.Encoder.Encoded;
import dev.kft.text.Text;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput of kft's prediction path against PyTorch eager on the same exported model and the same
 * padded batches of ChnSentiCorp reviews, one after the other in one run: kft end to end
 * (tokenizing, the model, softmax, sorted labels: what the inference service does per request),
 * kft's model alone, and PyTorch's model alone (forward and softmax without gradients). Then the
 * single-request latency of the packaged service ({@link ServiceLatency}).
 *
 * <p>Usage: {@code bench/run inference}.
 */
public final class InferenceBenchmark {

  private static final int BATCH = 32;
  private static final int MAX_LENGTH = 128;
  private static final int ROWS = 256;
  private static final int ROUNDS = 2;

  private record Geometry(String name, int layers, int hidden) {}

  private InferenceBenchmark() {}

  /** Arguments: the reviews CSV, Python, the PyTorch script, the packaged service's jar. */
  public static void main(String[] args) throws Exception {
    List<String> texts = Reviews.spread(Path.of(args[0]), ROWS);
    String python = args[1];
    Path script = Path.of(args[2]);
    Path root = Files.createTempDirectory("kft-bench-inference");
    List<String> rows = new ArrayList<>();
    Path latencyModel = null;
    for (Geometry g :
        List.of(
            new Geometry("L2/H128", 2, 128),
            new Geometry("L4/H256", 4, 256),
            new Geometry("L12/H768", 12, 768))) {
      Path dir = export(root.resolve(g.name().replace('/', '-')), g);
      latencyModel = latencyModel == null ? dir : latencyModel;
      double endToEnd = kftEndToEnd(dir, texts);
      List<TokenizedBatch> batches = batches(dir, texts);
      double modelOnly = kftModelOnly(dir, batches);
      Path json = dir.resolve("batches.json");
      Files.writeString(json, Json.mapper().writeValueAsString(inputs(batches)));
      double torch = torch(python, script, dir, json);
      rows.add(
          String.format(
              Locale.ROOT,
              "| %-8s | %9.1f | %9.1f | %9.1f | %5.2f× |",
              g.name(),
              endToEnd,
              modelOnly,
              torch,
              torch / modelOnly));
    }
    System.out.printf(
        "inference, sentences/s: %d ChnSentiCorp reviews, batches of %d, max_length %d, fastest of"
            + " %d rounds, %s intra-op threads; ratio = kft model time / PyTorch model time%n",
        ROWS, BATCH, MAX_LENGTH, ROUNDS, System.getProperty("ai.djl.pytorch.num_threads", "?"));
    System.out.println("| model    | kft e2e   | kft model | PyTorch   | ratio  |");
    System.out.println("|----------|----------:|----------:|----------:|-------:|");
    rows.forEach(System.out::println);
    if (args.length > 3) {
      ServiceLatency.measure(Path.of(args[3]), root, latencyModel, texts);
    }
  }

  private static Path export(Path dir, Geometry g) throws Exception {
    BertConfig config =
        BertConfig.read(Path.of("models", "bert-base-chinese", "config.json"))
            .withOverrides(
                Map.of(
                    "num_hidden_layers",
                    g.layers(),
                    "hidden_size",
                    g.hidden(),
                    "num_attention_heads",
                    g.hidden() / 64,
                    "intermediate_size",
                    4 * g.hidden()))
            .withLabels(List.of("0", "1"));
    ModelExport.write(
        config, BertInit.random(config, 1), Path.of("models", "bert-base-chinese"), dir);
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"do_lower_case\": false, \"model_max_length\": " + MAX_LENGTH + "}");
    return dir;
  }

  /** Sentences per second through the inference service's {@link Classifier}. */
  private static double kftEndToEnd(Path dir, List<String> texts) throws Exception {
    List<Text> inputs = texts.stream().map(t -> Text.of(t, null)).toList();
    double best = Double.MAX_VALUE;
    try (Classifier classifier = Classifier.load(dir, BATCH)) {
      classifier.predict(inputs.subList(0, BATCH), null);
      for (int round = 0; round < ROUNDS; round++) {
        long t0 = System.nanoTime();
        for (int start = 0; start < inputs.size(); start += BATCH) {
          classifier.predict(inputs.subList(start, Math.min(inputs.size(), start + BATCH)), null);
        }
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
    }
    return texts.size() / best;
  }

  /** Sentences per second of kft's model alone on the padded batches. */
  private static double kftModelOnly(Path dir, List<TokenizedBatch> batches) throws Exception {
    BertConfig config = BertConfig.read(dir.resolve("config.json"));
    double best = Double.MAX_VALUE;
    try (NDManager manager = NDManager.newBaseManager();
        SafeTensorsReader reader = SafeTensorsReader.open(dir.resolve("model.safetensors"));
        BertClassifier model = BertClassifier.create(config, reader.readAll(), manager)) {
      Inference inference = new Inference(model, BATCH);
      inference.run(batches.get(0));
      for (int round = 0; round < ROUNDS; round++) {
        long t0 = System.nanoTime();
        for (TokenizedBatch b : batches) {
          inference.run(b);
        }
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
    }
    return batches.stream().mapToInt(TokenizedBatch::rows).sum() / best;
  }

  /** The texts tokenized as the service does, in batches padded to their longest row. */
  private static List<TokenizedBatch> batches(Path dir, List<String> texts) throws Exception {
    List<TokenizedBatch> batches = new ArrayList<>();
    try (Encoder encoder = new Encoder(dir.resolve("tokenizer.json"), MAX_LENGTH)) {
      List<Encoded> all = encoder.encode(texts.stream().map(t -> Text.of(t, null)).toList());
      for (int start = 0; start < all.size(); start += BATCH) {
        batches.add(encoder.padded(all.subList(start, Math.min(all.size(), start + BATCH))));
      }
    }
    return batches;
  }

  private static List<Map<String, int[][]>> inputs(List<TokenizedBatch> batches) {
    List<Map<String, int[][]>> out = new ArrayList<>();
    for (TokenizedBatch b : batches) {
      int[][] ids = new int[b.rows()][b.sequenceLength()];
      int[][] mask = new int[b.rows()][b.sequenceLength()];
      for (int r = 0; r < b.rows(); r++) {
        for (int c = 0; c < b.sequenceLength(); c++) {
          ids[r][c] = b.inputIds()[r * b.sequenceLength() + c];
          mask[r][c] = b.attentionMask()[r * b.sequenceLength() + c];
        }
      }
      out.add(Map.of("input_ids", ids, "attention_mask", mask));
    }
    return out;
  }

  private static double torch(String python, Path script, Path dir, Path batches) throws Exception {
    Process p =
        new ProcessBuilder(
                python, script.toString(), dir.toString(), batches.toString(), "2", "" + ROUNDS)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the PyTorch side failed");
    }
    return Double.parseDouble(out);
  }
}
