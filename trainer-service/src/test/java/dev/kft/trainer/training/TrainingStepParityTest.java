package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.BertLayout;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.SafeTensorsWriter;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.SchedulerType;
import dev.kft.json.Json;
import dev.kft.nn.Batches;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.testing.PythonReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three optimizer updates of ours (AdamW, linear schedule with warmup, global-norm clipping,
 * accumulation of 4 micro-batches of 8) end with the weights PyTorch's {@code torch.optim.AdamW},
 * {@code LambdaLR} and {@code clip_grad_norm_} reach from the same start, with absolute and with
 * relative position embeddings; and accumulating 4×8 equals one batch of 32.
 */
@Tag("parity")
class TrainingStepParityTest {

  private static final int STEPS = 3;

  @TempDir Path dir;

  static BertConfig config(String positions) {
    var json = Json.mapper().createObjectNode();
    json.put("vocab_size", 120)
        .put("hidden_size", 32)
        .put("num_hidden_layers", 2)
        .put("num_attention_heads", 2)
        .put("intermediate_size", 64)
        .put("max_position_embeddings", 32)
        .put("num_labels", 3)
        .put("hidden_dropout_prob", 0.0)
        .put("attention_probs_dropout_prob", 0.0)
        .put("initializer_range", 0.1)
        .put("position_embedding_type", positions);
    return BertConfig.parse(json);
  }

  static TokenizedBatch batch() {
    Random random = new Random(3);
    int rows = 32;
    int seq = 10;
    int[] ids = new int[rows * seq];
    byte[] mask = new byte[rows * seq];
    for (int r = 0; r < rows; r++) {
      int length = 3 + random.nextInt(seq - 2);
      for (int c = 0; c < length; c++) {
        ids[r * seq + c] = 1 + random.nextInt(119);
        mask[r * seq + c] = 1;
      }
    }
    return new TokenizedBatch(
        "p",
        Split.TRAIN,
        0,
        rows,
        seq,
        ids,
        mask,
        new byte[rows * seq],
        random.ints(rows, 0, 3).toArray(),
        new int[rows]);
  }

  private Map<String, float[]> train(
      BertConfig config, Map<String, TensorData> start, int microBatches, double maxGradNorm) {
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, start, manager);
        AdamW optimizer =
            new AdamW(
                manager,
                0.9,
                0.999,
                1e-8,
                0.01,
                model.parameters().keySet().stream()
                    .filter(n -> !AdamW.decays(n))
                    .collect(Collectors.toSet()))) {
      model.requireGradients(n -> true);
      TrainingStep step =
          new TrainingStep(
              model,
              model.trainableParameters(),
              optimizer,
              new LearningRateSchedule(SchedulerType.LINEAR, 1e-3, 1, STEPS),
              maxGradNorm);
      TokenizedBatch batch = batch();
      int size = batch.rows() / microBatches;
      for (int s = 0; s < STEPS; s++) {
        List<TokenizedBatch> micro = new ArrayList<>();
        for (int i = 0; i < microBatches; i++) {
          micro.add(Batches.rows(batch, i * size, (i + 1) * size));
        }
        step.run(micro, DropoutMasks.NONE);
      }
      Map<String, float[]> weights = new LinkedHashMap<>();
      model.parameters().forEach((n, p) -> weights.put(n, p.toFloatArray()));
      return weights;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"absolute", "relative_key_query"})
  void updatesMatchPyTorchAndAccumulationEqualsOneLargeBatch(String positions) throws Exception {
    BertConfig config = config(positions);
    Map<String, TensorData> start = BertInit.random(config, 21);
    Map<String, float[]> accumulated = train(config, start, 4, 1.0);
    Map<String, float[]> whole = train(config, start, 1, 1.0);
    assertTrue(maxDiff(accumulated, whole) <= 1e-5, "4x8 vs 1x32: " + maxDiff(accumulated, whole));

    SafeTensorsWriter.write(dir.resolve("start.safetensors"), start, Map.of());
    Files.writeString(dir.resolve("config.json"), config.toJson().toString());
    Files.writeString(dir.resolve("batch.json"), batchJson(batch()));
    Files.writeString(
        dir.resolve("settings.json"),
        Json.mapper()
            .writeValueAsString(
                Map.of(
                    "lr",
                    1e-3,
                    "beta1",
                    0.9,
                    "beta2",
                    0.999,
                    "eps",
                    1e-8,
                    "weight_decay",
                    0.01,
                    "warmup",
                    1,
                    "steps",
                    STEPS,
                    "micro_batches",
                    4,
                    "max_grad_norm",
                    1.0)));
    for (String script : List.of("bert_reference.py")) {
      try (var in = PythonReference.class.getResourceAsStream("/python/" + script)) {
        Files.copy(in, dir.resolve(script));
      }
    }
    JsonNode out =
        Json.mapper()
            .readTree(
                PythonReference.run(
                    "train_reference.py",
                    dir,
                    "config.json",
                    "start.safetensors",
                    "batch.json",
                    "settings.json",
                    "end.safetensors"));
    assertTrue(out.get("grad_norms").get(0).asDouble() > 1.0, "clipping was exercised");
    Map<String, float[]> reference = new LinkedHashMap<>();
    try (SafeTensorsReader reader = SafeTensorsReader.open(dir.resolve("end.safetensors"))) {
      reader.readAll().forEach((n, t) -> reference.put(n, t.values()));
    }
    // Without key-side relative terms the attention key bias shifts every score of a query alike,
    // which softmax ignores: its true gradient is zero and both libraries compute only rounding
    // noise (~1e-10), which Adam's g / (|g| + eps) turns into updates of either sign. It is
    // compared on its own, loosely.
    Set<String> keyBiases =
        accumulated.keySet().stream()
            .filter(n -> n.endsWith("attention.self.key.bias"))
            .collect(Collectors.toSet());
    assertTrue(
        maxDiff(subset(accumulated, keyBiases), subset(reference, keyBiases)) <= 1e-3 * STEPS);
    accumulated.keySet().removeAll(keyBiases);
    double diff = maxDiff(accumulated, reference);
    double moved =
        maxDiff(
            accumulated,
            start.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().values())));
    System.out.printf(
        "training parity (%s): max |Δw| vs PyTorch %.3g (weights moved up to %.3g)%n",
        positions, diff, moved);
    assertTrue(moved > 1e-3, "the weights moved");
    if (config.relativePositions()) {
      // unread, so PyTorch's AdamW skips the absolute position table (its gradient stays None)
      assertArrayEquals(
          start.get(BertLayout.POSITION_EMBEDDINGS).values(),
          accumulated.get(BertLayout.POSITION_EMBEDDINGS));
    }
    assertTrue(diff <= 1e-5, "max |Δw| vs PyTorch = " + diff);
    assertEquals(reference.size(), accumulated.size() + keyBiases.size());
  }

  private static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
    double max = 0;
    for (Map.Entry<String, float[]> e : a.entrySet()) {
      float[] other = b.get(e.getKey());
      double local = 0;
      for (int i = 0; i < other.length; i++) {
        local = Math.max(local, Math.abs(e.getValue()[i] - other[i]));
      }
      max = Math.max(max, local);
    }
    return max;
  }

  private static Map<String, float[]> subset(Map<String, float[]> all, Set<String> names) {
    Map<String, float[]> out = new LinkedHashMap<>(all);
    out.keySet().retainAll(names);
    return out;
  }

  private static String batchJson(TokenizedBatch b) throws Exception {
    int[][] ids = new int[b.rows()][b.sequenceLength()];
    int[][] mask = new int[b.rows()][b.sequenceLength()];
    int[][] types = new int[b.rows()][b.sequenceLength()];
    for (int r = 0; r < b.rows(); r++) {
      for (int c = 0; c < b.sequenceLength(); c++) {
        ids[r][c] = b.inputIds()[r * b.sequenceLength() + c];
        mask[r][c] = b.attentionMask()[r * b.sequenceLength() + c];
      }
    }
    return Json.mapper()
        .writeValueAsString(
            Map.of(
                "input_ids",
                ids,
                "attention_mask",
                mask,
                "token_type_ids",
                types,
                "labels",
                b.labels()));
  }
}
