package dev.kft.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.Inference;
import dev.kft.nn.Losses;
import dev.kft.nn.ModelInputs;
import dev.kft.nn.NoGrad;
import dev.kft.nn.Precision;
import dev.kft.trainer.training.AdamW;
import dev.kft.trainer.training.GradientClipping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Times one training step (forward, backward, global-norm clipping and AdamW) of kft's BERT
 * classifier (DJL, PyTorch engine) against the same step in PyTorch eager ({@code
 * torch.optim.AdamW}, {@code clip_grad_norm_}), one after the other in one run, and prints the
 * split and the ratio of whole steps.
 *
 * <p>Usage: {@code bench/run} (builds, then runs this with the Python reference beside it).
 */
public final class ForwardBackwardBenchmark {

  private static final int BATCH = 16;
  private static final int SEQ = 128;

  /**
   * A model size and how long to time it: bert-base's steps take seconds each here, so it gets
   * fewer.
   */
  private record Geometry(String name, int layers, int hidden, int warmup, int steps, int rounds) {}

  private ForwardBackwardBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path script = Path.of(args.length > 0 ? args[0] : "bench/torch_forward_backward.py");
    String python = args.length > 1 ? args[1] : "/usr/bin/python3";
    List<Geometry> geometries =
        List.of(
            new Geometry("L2/H128", 2, 128, 3, 15, 3),
            new Geometry("L4/H256", 4, 256, 3, 15, 3),
            new Geometry("L12/H768", 12, 768, 1, 3, 1));
    List<String> rows = new ArrayList<>();
    List<String> evalRows = new ArrayList<>();
    // -Dkft.bench.geometry=L12/H768 times one size only
    String only = System.getProperty("kft.bench.geometry");
    for (Geometry g : geometries) {
      if (only != null && !only.equals(g.name())) {
        continue;
      }
      double float32Step = 0;
      // float16 products are for a GPU; this benchmark runs on the CPU
      for (Precision precision : List.of(Precision.FLOAT32, Precision.BFLOAT16)) {
        Timing djl = null;
        double[] torch = null;
        // Other tenants of a shared machine come and go: alternate the sides for a few rounds and
        // keep each side's fastest round, so a burst of load on one side does not decide the ratio.
        for (int round = 0; round < g.rounds(); round++) {
          Timing d = djlMillis(g, precision);
          double[] t = torchMillis(python, script, g, precision);
          djl = djl == null || d.total() < djl.total() ? d : djl;
          torch = torch == null || t[3] < torch[3] ? t : torch;
        }
        float32Step = precision == Precision.FLOAT32 ? djl.total() : float32Step;
        double eval = evalMillis(g, precision);
        evalRows.add(
            String.format(
                Locale.ROOT,
                "| %-8s | %-9s | %8.1f | %8.1f | %5.2f× |",
                g.name(),
                precision.id(),
                1000.0 * BATCH / djl.total(),
                1000.0 * BATCH / eval,
                djl.total() / eval));
        rows.add(
            String.format(
                Locale.ROOT,
                "| %-8s | %-9s | %6.0f / %6.0f / %5.0f | %6.0f | %6.0f / %6.0f / %5.0f | %6.0f |"
                    + " %5.2f× | %5.2f× |",
                g.name(),
                precision.id(),
                djl.forward(),
                djl.backward(),
                djl.optimizer(),
                djl.total(),
                torch[0],
                torch[1],
                torch[2],
                torch[3],
                djl.total() / torch[3],
                djl.total() / float32Step));
      }
    }
    System.out.printf(
        "training step (forward / backward / clip+AdamW, ms), batch %d, seq %d, median of 15 steps"
            + " (3 for L12/H768), fastest of 3 alternating rounds (1), %s intra-op threads;"
            + " PyTorch bf16 = torch.autocast(\"cpu\", dtype=torch.bfloat16)%n",
        BATCH, SEQ, System.getProperty("ai.djl.pytorch.num_threads", "?"));
    System.out.println(
        "| model    | precision | kft f / b / opt          | kft    | PyTorch f / b / opt      |"
            + " PyTorch | kft/PT | vs kft float32 |");
    System.out.println(
        "|----------|-----------|--------------------------|-------:|--------------------------|"
            + "--------:|-------:|-------:|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println(
        "evaluation (the evaluator's no-grad Inference) against training (the step above),"
            + " samples/s");
    System.out.println("| model    | precision | training | evaluation | ratio  |");
    System.out.println("|----------|-----------|---------:|-----------:|-------:|");
    evalRows.forEach(System.out::println);
  }

  /**
   * Median milliseconds of evaluating one batch as the evaluator does: no gradients, no dropout.
   */
  private static double evalMillis(Geometry g, Precision precision) {
    BertConfig config = config(g);
    TokenizedBatch batch = RandomBatch.of(BATCH, SEQ, 21128, 1);
    double[] times = new double[g.steps()];
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 1), manager)) {
      model.computeIn(precision);
      Inference inference = new Inference(model, BATCH);
      for (int i = -g.warmup(); i < g.steps(); i++) {
        long t0 = System.nanoTime();
        inference.run(batch);
        if (i >= 0) {
          times[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    return median(times);
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

  /** Median milliseconds of forward, backward, clip+AdamW and the whole step. */
  private record Timing(double forward, double backward, double optimizer, double total) {}

  private static Timing djlMillis(Geometry g, Precision precision) {
    BertConfig config = config(g);
    TokenizedBatch batch = RandomBatch.of(BATCH, SEQ, 21128, 1);
    double[][] times = new double[4][g.steps()];
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 1), manager);
        AdamW optimizer = new AdamW(manager, 0.9, 0.999, 1e-8, 0.01, Set.of())) {
      model.requireGradients(name -> true);
      model.computeIn(precision);
      for (int i = -g.warmup(); i < g.steps(); i++) {
        long t0 = System.nanoTime();
        long t1;
        long t2;
        try (NDManager step = manager.newSubManager()) {
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss =
                Losses.crossEntropy(
                    model.forward(ModelInputs.of(step, batch), DropoutMasks.seeded(1)).logits(),
                    ModelInputs.labels(step, batch));
            loss.getFloat();
            t1 = System.nanoTime();
            collector.backward(loss);
          }
          try (NDArray gradient = model.parameters().get("classifier.bias").getGradient()) {
            gradient.toFloatArray();
          }
          t2 = System.nanoTime();
          try (NoGrad noGrad = NoGrad.enter()) {
            double norm = GradientClipping.norm(model.parameters().values(), step);
            optimizer.step(model.parameters(), 1e-4, GradientClipping.scale(norm, 1.0));
          }
          model.parameters().get("classifier.bias").toFloatArray();
        }
        long t3 = System.nanoTime();
        if (i >= 0) {
          times[0][i] = (t1 - t0) / 1e6;
          times[1][i] = (t2 - t1) / 1e6;
          times[2][i] = (t3 - t2) / 1e6;
          times[3][i] = (t3 - t0) / 1e6;
        }
      }
    }
    return new Timing(median(times[0]), median(times[1]), median(times[2]), median(times[3]));
  }

  private static double[] torchMillis(String python, Path script, Geometry g, Precision precision)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                python,
                script.toString(),
                String.valueOf(g.layers()),
                String.valueOf(g.hidden()),
                String.valueOf(BATCH),
                String.valueOf(SEQ),
                String.valueOf(g.warmup()),
                String.valueOf(g.steps()),
                precision.id())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("PyTorch reference failed: " + out);
    }
    String[] figures = out.substring(out.lastIndexOf('\n') + 1).trim().split("\\s+");
    double[] ms = new double[4];
    for (int i = 0; i < 4; i++) {
      ms[i] = Double.parseDouble(figures[i]);
    }
    return ms;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
