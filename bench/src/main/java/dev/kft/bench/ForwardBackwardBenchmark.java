package dev.kft.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.BertConfig;
import dev.kft.nn.BertInit;
import dev.kft.nn.Losses;
import dev.kft.nn.ModelInputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times one forward and backward pass of kft's BERT classifier (DJL, PyTorch engine) against the
 * same model in PyTorch eager, one after the other in one run, and prints the ratio.
 *
 * <p>Usage: {@code bench/run} (builds, then runs this with the Python reference beside it).
 */
public final class ForwardBackwardBenchmark {

  private static final int BATCH = 16;
  private static final int SEQ = 128;
  private static final int WARMUP = 3;
  private static final int STEPS = 15;

  private record Geometry(String name, int layers, int hidden) {}

  private ForwardBackwardBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path script = Path.of(args.length > 0 ? args[0] : "bench/torch_forward_backward.py");
    String python = args.length > 1 ? args[1] : "/usr/bin/python3";
    List<Geometry> geometries =
        List.of(new Geometry("L2/H128", 2, 128), new Geometry("L4/H256", 4, 256));
    List<String> rows = new ArrayList<>();
    for (Geometry g : geometries) {
      double djl = djlMillis(g);
      double torch = torchMillis(python, script, g);
      rows.add(
          String.format(
              Locale.ROOT,
              "| %-8s | %10.1f | %12.1f | %6.2f× |",
              g.name(),
              djl,
              torch,
              djl / torch));
    }
    System.out.printf(
        "forward+backward, batch %d, seq %d, median of %d steps, %s intra-op " + "threads%n",
        BATCH, SEQ, STEPS, System.getProperty("ai.djl.pytorch.num_threads", "?"));
    System.out.println("| model    | kft DJL ms | PyTorch ms   | ratio   |");
    System.out.println("|----------|-----------:|-------------:|--------:|");
    rows.forEach(System.out::println);
  }

  private static BertConfig config(Geometry g) {
    var json = Json.mapper().createObjectNode();
    json.put("vocab_size", 21128)
        .put("hidden_size", g.hidden())
        .put("num_hidden_layers", g.layers())
        .put("num_attention_heads", g.hidden() / 64)
        .put("intermediate_size", 4 * g.hidden())
        .put("max_position_embeddings", 512)
        .put("num_labels", 2);
    return BertConfig.parse(json);
  }

  private static TokenizedBatch batch() {
    Random random = new Random(1);
    int[] ids = random.ints(BATCH * SEQ, 1, 21128).toArray();
    byte[] mask = new byte[BATCH * SEQ];
    Arrays.fill(mask, (byte) 1);
    return new TokenizedBatch(
        "bench",
        Split.TRAIN,
        0,
        BATCH,
        SEQ,
        ids,
        mask,
        new byte[BATCH * SEQ],
        random.ints(BATCH, 0, 2).toArray(),
        new int[BATCH]);
  }

  private static double djlMillis(Geometry g) {
    BertConfig config = config(g);
    TokenizedBatch batch = batch();
    double[] times = new double[STEPS];
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 1), manager)) {
      model.requireGradients(name -> true);
      for (int i = -WARMUP; i < STEPS; i++) {
        long start = System.nanoTime();
        try (NDManager step = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss =
              Losses.crossEntropy(
                  model.forward(ModelInputs.of(step, batch), true).logits(),
                  ModelInputs.labels(step, batch));
          collector.backward(loss);
          loss.getFloat();
        }
        if (i >= 0) {
          times[i] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    return median(times);
  }

  private static double torchMillis(String python, Path script, Geometry g)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                python,
                script.toString(),
                String.valueOf(g.layers()),
                String.valueOf(g.hidden()),
                String.valueOf(BATCH),
                String.valueOf(SEQ),
                String.valueOf(WARMUP),
                String.valueOf(STEPS))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("PyTorch reference failed: " + out);
    }
    return Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
