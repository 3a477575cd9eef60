package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.TensorData;
import dev.kft.io.ConfinedPaths;
import dev.kft.job.JobSpecs;
import dev.kft.job.TrainingSpec;
import dev.kft.json.Json;
import dev.kft.model.ModelLoader;
import dev.kft.nn.BertClassifier;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop trains (the loss falls on a learnable task), is deterministic, resumes from a checkpoint
 * to the very weights of an uninterrupted run, stops on request and fails on NaN.
 */
@Tag("unit")
class TrainingRunTest {

  private static final Path TOKENIZER_DIR = Path.of("..", "models", "bert-base-chinese");

  @TempDir Path dir;

  static BertConfig config() {
    var json = Json.mapper().createObjectNode();
    json.put("vocab_size", 60)
        .put("hidden_size", 32)
        .put("num_hidden_layers", 1)
        .put("num_attention_heads", 2)
        .put("intermediate_size", 64)
        .put("max_position_embeddings", 32)
        .put("num_labels", 2);
    return BertConfig.parse(json);
  }

  /** Label 1 exactly when token 7 occurs: a task a tiny model learns in a few dozen steps. */
  static List<TokenizedBatch> data() {
    return data(7);
  }

  /** Label 1 exactly when {@code token} (below 10) occurs. */
  static List<TokenizedBatch> data(int token) {
    return data(token, 1);
  }

  /** Label 1 exactly when {@code token} (below 10) occurs, at up to {@code copies} positions. */
  static List<TokenizedBatch> data(int token, int copies) {
    return data(token, copies, 11);
  }

  /** The task's 12 batches of 8 rows drawn from {@code seed}. */
  static List<TokenizedBatch> data(int token, int copies, long seed) {
    Random random = new Random(seed);
    List<TokenizedBatch> batches = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      int rows = 8;
      int seq = 8;
      int[] ids = new int[rows * seq];
      byte[] mask = new byte[rows * seq];
      int[] labels = new int[rows];
      for (int r = 0; r < rows; r++) {
        labels[r] = random.nextInt(2);
        for (int c = 0; c < seq; c++) {
          ids[r * seq + c] = c == 0 ? 1 : 10 + random.nextInt(50);
          mask[r * seq + c] = 1;
        }
        for (int k = 0; k < copies && labels[r] == 1; k++) {
          ids[r * seq + 1 + random.nextInt(seq - 1)] = token;
        }
      }
      batches.add(
          new TokenizedBatch(
              "j", Split.TRAIN, b, rows, seq, ids, mask, null, labels, new int[rows]));
    }
    return batches;
  }

  private static TrainingSpec spec(String extra) {
    return spec(0.003, extra);
  }

  private static TrainingSpec spec(double learningRate, String extra) {
    return JobSpecs.validate(
            JobSpecs.parse(
                """
        model: {source: m}
        dataset: {uri: d.csv}
        registry: {model_name: r}
        training: {learning_rate: %s, warmup_steps: 3, logging_steps: 4, max_grad_norm: 1.0,
          weight_decay: 0.01, gradient_accumulation_steps: 2, seed: 5%s}
        """
                    .formatted(learningRate, extra)))
        .spec()
        .training();
  }

  /** Runs a job from {@code start} weights (and optionally a checkpoint) and returns weights. */
  private Map<String, float[]> train(
      TrainingSpec spec,
      Map<String, TensorData> start,
      Path resumeFrom,
      long stopAfter,
      List<TrainingRun.Progress> reports)
      throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve("artifacts"));
    try (NDManager manager = NDManager.newBaseManager()) {
      BertClassifier model =
          resumeFrom == null
              ? BertClassifier.create(config(), start, manager)
              : loader()
                  .load(
                      new ModelLoader.Request(resumeFrom.toString(), true, Map.of(), List.of(), 0),
                      manager)
                  .model();
      model.requireGradients(n -> true);
      AdamW optimizer = AdamW.forTraining(manager, spec, model.parameters().keySet());
      long done = 0;
      if (resumeFrom != null) {
        CheckpointStore.Restored restored = store.restore(resumeFrom);
        optimizer.restore(
            restored.firstMoments(),
            restored.secondMoments(),
            restored.state().optimizerSteps(),
            model.parameters());
        done = restored.state().step();
      }
      TrainingPlan plan = TrainingPlan.of(spec, data().size());
      TrainingStep step =
          new TrainingStep(
              model,
              model.parameters(),
              optimizer,
              new LearningRateSchedule(
                  spec.lrSchedulerType(),
                  spec.learningRate(),
                  plan.warmupSteps(),
                  plan.totalSteps()),
              spec.maxGradNorm());
      long[] finished = {done};
      TrainingRun run =
          new TrainingRun(
              plan,
              step,
              data(),
              spec.seed(),
              new TrainingRun.Listener() {
                @Override
                public void progress(TrainingRun.Progress p) {
                  reports.add(p);
                  finished[0] = p.step();
                }

                @Override
                public void checkpoint(long s, double epoch, double loss, boolean last)
                    throws Exception {
                  store.save(
                      model,
                      TOKENIZER_DIR,
                      optimizer,
                      new CheckpointStore.State("job", s, epoch, optimizer.steps(), loss, null),
                      null,
                      Optional.empty());
                }
              },
              () -> finished[0] >= stopAfter);
      run.run(done);
      Map<String, float[]> weights = new LinkedHashMap<>();
      model.parameters().forEach((n, p) -> weights.put(n, p.toFloatArray()));
      return weights;
    }
  }

  private ModelLoader loader() {
    return new ModelLoader(
        new ModelSource(
            new ConfinedPaths(List.of(dir)),
            new HubClient(
                URI.create("http://127.0.0.1:9"), dir.resolve("hub"), true, Optional.empty())));
  }

  @Test
  void lossFallsAndRunsAreDeterministic() throws Exception {
    TrainingSpec spec = spec(0.01, ", num_train_epochs: 8");
    Map<String, TensorData> start = BertInit.random(config(), 3);
    List<TrainingRun.Progress> reports = new ArrayList<>();
    Map<String, float[]> first = train(spec, start, null, Long.MAX_VALUE, reports);
    assertEquals(48, reports.get(reports.size() - 1).step(), "8 epochs of 6 updates");
    double early = reports.get(0).loss();
    double late = reports.get(reports.size() - 1).loss();
    assertTrue(late < 0.5 * early, "loss fell from " + early + " to " + late);
    Map<String, float[]> second = train(spec, start, null, Long.MAX_VALUE, new ArrayList<>());
    first.forEach((n, w) -> assertArrayEquals(w, second.get(n), n));
  }

  @Test
  void resumingFromACheckpointReachesTheUninterruptedWeights() throws Exception {
    TrainingSpec spec = spec(", max_steps: 12, save_strategy: steps, save_steps: 4");
    Map<String, TensorData> start = BertInit.random(config(), 4);
    Map<String, float[]> whole = train(spec, start, null, Long.MAX_VALUE, new ArrayList<>());
    CheckpointStore store = new CheckpointStore(dir.resolve("artifacts"));
    assertEquals(List.of(4L, 8L, 12L), store.steps("job"));
    Map<String, float[]> resumed =
        train(spec, start, store.directory("job", 4), Long.MAX_VALUE, new ArrayList<>());
    whole.forEach((n, w) -> assertArrayEquals(w, resumed.get(n), n));
    store.prune("job", 1, step -> step == 8);
    assertEquals(List.of(8L, 12L), store.steps("job"), "the best and the latest are kept");
  }

  @Test
  void aStopRequestEndsTheRunAtTheNextStep() throws Exception {
    List<TrainingRun.Progress> reports = new ArrayList<>();
    train(spec(", num_train_epochs: 8"), BertInit.random(config(), 5), null, 8, reports);
    assertEquals(8, reports.get(reports.size() - 1).step());
  }

  @Test
  void aDivergingLossFailsWithTheStep() {
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () ->
                train(
                    spec(1e9, ", num_train_epochs: 8"),
                    BertInit.random(config(), 6),
                    null,
                    Long.MAX_VALUE,
                    new ArrayList<>()));
    assertTrue(e.step() > 0 && e.getMessage().contains("lower training.learning_rate"));
  }
}
