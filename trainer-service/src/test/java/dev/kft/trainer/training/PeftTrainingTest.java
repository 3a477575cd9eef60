package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.BertLayout;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.TensorData;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.ParameterCount;
import dev.kft.events.TrainingFinished;
import dev.kft.io.ConfinedPaths;
import dev.kft.job.JobSpec;
import dev.kft.job.JobSpecs;
import dev.kft.model.ModelLoader;
import dev.kft.nn.BertClassifier;
import dev.kft.peft.Peft;
import dev.kft.peft.PeftMethod;
import dev.kft.testing.TinyDatasets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEFT jobs end to end in the trainer's domain: each method trains (the loss falls) while every
 * frozen base tensor stays bit-identical, checkpoints hold only the trained tensors (with optimizer
 * state for those alone) over a base kept once by hash, and a job resumes from such a checkpoint to
 * the weights of an uninterrupted run.
 */
@Tag("unit")
class PeftTrainingTest {

  private static final Path TOKENIZER_DIR = Path.of("..", "models", "bert-base-chinese");

  @TempDir Path dir;

  /** What the job reported. */
  private static final class Reports implements JobReporter {
    ParameterCount parameters;
    List<String> unusedWeights;
    final List<TrainingRun.Progress> progress = new ArrayList<>();
    final List<CheckpointStore.Saved> checkpoints = new ArrayList<>();
    TrainingFinished.Reason finished;
    String failure;

    @Override
    public void started(
        ParameterCount p,
        long totalSteps,
        long resumedFromStep,
        String device,
        String precision,
        List<String> unusedWeights) {
      parameters = p;
      this.unusedWeights = unusedWeights;
    }

    @Override
    public void progress(TrainingRun.Progress p) {
      progress.add(p);
    }

    @Override
    public void checkpointSaved(
        CheckpointStore.Saved saved,
        double epoch,
        double loss,
        TrainingFinished.Reason end,
        boolean evaluationPoint) {
      checkpoints.add(saved);
    }

    @Override
    public void finished(
        TrainingFinished.Reason reason, long step, double epoch, double loss, String uri) {
      finished = reason;
    }

    @Override
    public void failed(String reason, Long step) {
      failure = reason;
    }

    @Override
    public EndReported endReported() {
      return EndReported.NONE;
    }
  }

  /** Stops after {@code stopAfter} reported steps. */
  private record Control(Reports reports, long stopAfter) implements JobControl {
    @Override
    public TrainingFinished.Reason stopRequested() {
      List<TrainingRun.Progress> p = reports.progress;
      return !p.isEmpty() && p.get(p.size() - 1).step() >= stopAfter
          ? TrainingFinished.Reason.CANCELLED
          : null;
    }

    @Override
    public boolean keep(long step) {
      return false;
    }
  }

  /**
   * A base model that learned a little: a tiny BERT fully trained for 24 steps to tell whether
   * token 9 occurs. PEFT methods adapt a trained model (a frozen random one gives them too little
   * to work with), and one trained to saturation leaves its tanh pooler no gradient to pass on.
   * Without dropout, so that whether a method learns does not hang on one stream of masks (with it,
   * the adapters' loss fell far enough under two of four seeds).
   */
  @BeforeEach
  void pretrain() throws Exception {
    Path random = dir.resolve("models/random");
    BertConfig config =
        TrainingRunTest.config()
            .withOverrides(Map.of("hidden_dropout_prob", 0.0, "attention_probs_dropout_prob", 0.0));
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 9), manager)) {
      ModelExport.write(model.config(), model.toTensors(), TOKENIZER_DIR, random);
    }
    Reports reports =
        run(prepared("pretrain", "{type: full}", "models/random", 0.005, 24), 9, Long.MAX_VALUE);
    Path trained = reports.checkpoints.get(reports.checkpoints.size() - 1).directory();
    Path base = Files.createDirectories(dir.resolve("models/tiny"));
    for (String name : List.of(ModelSource.CONFIG, ModelSource.WEIGHTS, ModelSource.TOKENIZER)) {
      Files.copy(trained.resolve(name), base.resolve(name));
    }
  }

  private DatasetPrepared prepared(String jobId, String method) {
    return prepared(jobId, method, "models/tiny", 0.01, 192);
  }

  private DatasetPrepared prepared(
      String jobId, String method, String source, double learningRate, int steps) {
    JobSpec spec =
        JobSpecs.validate(
                JobSpecs.parse(
                    """
            model: {source: %s, max_length: 8}
            dataset: {uri: d.csv}
            registry: {model_name: r}
            method: %s
            training: {learning_rate: %s, warmup_steps: 2, logging_steps: 8, max_steps: %d,
              save_strategy: steps, save_steps: %d, seed: 5}
            """
                        .formatted(source, method, learningRate, steps, steps / 2)))
            .spec();
    return TinyDatasets.trainOnly(jobId, spec, 8, 0, 12);
  }

  private Reports run(DatasetPrepared prepared, long stopAfter) throws Exception {
    return run(prepared, 7, stopAfter);
  }

  /** Runs a job on the task "does {@code token} occur", stopping after {@code stopAfter} steps. */
  private Reports run(DatasetPrepared prepared, int token, long stopAfter) throws Exception {
    ModelLoader loader =
        new ModelLoader(
            new ModelSource(
                new ConfinedPaths(List.of(dir)),
                new HubClient(
                    URI.create("http://127.0.0.1:9"), dir.resolve("hub"), true, Optional.empty())));
    Reports reports = new Reports();
    new TrainingJob(loader, new CheckpointStore(dir.resolve("artifacts")), "cpu")
        .run(
            prepared,
            p -> TrainingRunTest.data(token, 4),
            new Control(reports, stopAfter),
            reports);
    return reports;
  }

  private static Map<String, TensorData> read(Path file) throws Exception {
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      return reader.readAll();
    }
  }

  /**
   * Trains one method and checks what every method must do: the loss of the last 24 steps is below
   * {@code fallsTo} times that of the first 16 (single reports are noisy at 8 steps each).
   */
  private Reports trains(
      String jobId, String method, double learningRate, int steps, double fallsTo)
      throws Exception {
    DatasetPrepared prepared = prepared(jobId, method, "models/tiny", learningRate, steps);
    Reports reports = run(prepared, Long.MAX_VALUE);
    assertEquals(TrainingFinished.Reason.COMPLETED, reports.finished, reports.failure);
    List<Double> losses = reports.progress.stream().map(TrainingRun.Progress::loss).toList();
    System.out.println(method + " losses every 8 steps: " + losses);
    double early = (losses.get(0) + losses.get(1)) / 2;
    int last = losses.size() - 1;
    double late = (losses.get(last) + losses.get(last - 1) + losses.get(last - 2)) / 3;
    assertTrue(late < fallsTo * early, method + ": loss fell from " + early + " to " + late);

    PeftMethod peft =
        Peft.of(
                prepared.spec().method(),
                TrainingRunTest.config().withLabels(List.of("neg", "pos")),
                null)
            .orElseThrow();
    Path checkpoint = reports.checkpoints.get(reports.checkpoints.size() - 1).directory();
    assertTrue(reports.checkpoints.stream().allMatch(CheckpointStore.Saved::trainableOnly));
    assertFalse(Files.exists(checkpoint.resolve(ModelSource.WEIGHTS)), "no full weights");
    Map<String, TensorData> trained = read(checkpoint.resolve(PeftCheckpoint.WEIGHTS));
    Map<String, TensorData> optimizer = read(checkpoint.resolve(CheckpointStore.OPTIMIZER));
    assertEquals(2 * trained.size(), optimizer.size(), "moments of trained tensors only");
    trained.keySet().forEach(n -> assertTrue(peft.trains(n), n + " is trained"));
    assertEquals(
        peft.count(TrainingRunTest.config().withLabels(List.of("neg", "pos"))).trainable(),
        trained.values().stream().mapToLong(t -> t.values().length).sum());
    assertEquals(
        reports.parameters.trainable(),
        trained.values().stream().mapToLong(t -> t.values().length).sum());

    // the base the checkpoint names is the tiny model as built, kept by hash; frozen = unchanged
    PeftCheckpoint.Manifest manifest = PeftCheckpoint.read(checkpoint).orElseThrow();
    Path base = PeftCheckpoint.base(checkpoint, manifest);
    Map<String, TensorData> before = read(base.resolve(ModelSource.WEIGHTS));
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelLoader.Loaded loaded =
          new ModelLoader(
                  new ModelSource(
                      new ConfinedPaths(List.of(dir)),
                      new HubClient(URI.create("http://127.0.0.1:9"), dir, true, Optional.empty())))
              .load(
                  new ModelLoader.Request(checkpoint.toString(), true, Map.of(), List.of(), 0),
                  manager);
      for (String name : BertLayout.shapes(loaded.model().config()).keySet()) {
        float[] now = loaded.model().parameters().get(name).toFloatArray();
        if (peft.trains(name)) {
          assertFalse(java.util.Arrays.equals(before.get(name).values(), now), name + " trained");
        } else {
          assertArrayEquals(before.get(name).values(), now, name + " stays frozen");
        }
      }
    }
    return reports;
  }

  @Test
  void aPretrainedJobKeepingFewerLayersReportsTheOnesItLeavesOut() throws Exception {
    BertConfig three = TrainingRunTest.config().withOverrides(Map.of("num_hidden_layers", 3));
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(three, BertInit.random(three, 9), manager)) {
      ModelExport.write(model.config(), model.toTensors(), TOKENIZER_DIR, dir.resolve("models/3"));
    }
    JobSpec spec =
        JobSpecs.validate(
                JobSpecs.parse(
                    """
                    model: {source: models/3, max_length: 8, config_overrides: {num_hidden_layers: 1}}
                    dataset: {uri: d.csv}
                    registry: {model_name: r}
                    training: {max_steps: 2, logging_steps: 1, seed: 5}
                    """))
            .spec();
    Reports reports = run(TinyDatasets.trainOnly("fewer", spec, 8, 0, 12), 7, 2);
    assertEquals(
        List.of("bert.encoder.layer.1.*", "bert.encoder.layer.2.*"), reports.unusedWeights);
  }

  @Test
  void loraTrainsOnlyItsTensorsAndCheckpointsThemAlone() throws Exception {
    Reports reports =
        trains(
            "lora",
            "{type: lora, lora: {r: 4, lora_alpha: 16, target_modules: [query, value, dense]}}",
            0.01,
            192,
            0.5);
    // r·(in + out) per adapted module at r = 4, hidden 32, FFN 64: query, value, attention output
    // and pooler 4·64 = 256 each, intermediate and output 4·96 = 384 each; plus the classifier
    // (32·2 + 2). So the file holds that many floats (4 bytes each) and a small header.
    long trained = 4 * 256 + 2 * 384 + 66;
    long size = reports.checkpoints.get(0).sizeBytes();
    assertTrue(size >= 4 * trained && size < 4 * trained + 2048, "adapter file " + size + " B");
    long full = Files.size(dir.resolve("models/tiny").resolve(ModelSource.WEIGHTS));
    System.out.printf("LoRA checkpoint weights %d B, full model %d B%n", size, full);
    assertTrue(size * 5 < full, size + " B vs the full model's " + full + " B");
  }

  @Test
  void bottleneckAdaptersTrain() throws Exception {
    trains(
        "adapter",
        "{type: adapter, adapter: {type: houlsby, reduction_factor: 4}}",
        0.03,
        192,
        0.6);
  }

  @Test
  void promptTuningTrains() throws Exception {
    // prompt tuning learns slowly on small models and wants a high rate, as its authors found
    trains(
        "prompt", "{type: prompt_tuning, prompt_tuning: {num_virtual_tokens: 8}}", 0.1, 384, 0.75);
  }

  @Test
  void aPeftJobResumesToTheUninterruptedWeights() throws Exception {
    String method = "{type: lora, lora: {r: 4, lora_alpha: 8}}";
    Reports whole = run(prepared("whole", method), Long.MAX_VALUE);
    Reports first = run(prepared("resumed", method), 48);
    assertEquals(TrainingFinished.Reason.CANCELLED, first.finished);
    assertTrue(first.checkpoints.stream().allMatch(c -> c.step() == 48), "stopped at step 48");
    Reports rest = run(prepared("resumed", method), Long.MAX_VALUE);
    assertEquals(TrainingFinished.Reason.COMPLETED, rest.finished);
    Map<String, TensorData> a =
        read(whole.checkpoints.get(1).directory().resolve(PeftCheckpoint.WEIGHTS));
    Map<String, TensorData> b =
        read(
            rest.checkpoints
                .get(rest.checkpoints.size() - 1)
                .directory()
                .resolve(PeftCheckpoint.WEIGHTS));
    assertEquals(a.keySet(), b.keySet());
    a.forEach((name, t) -> assertArrayEquals(t.values(), b.get(name).values(), name));
  }

  @Test
  void aPromptLongerThanTheModelsPositionsFailsNamingTheSetting() throws Exception {
    DatasetPrepared prepared =
        prepared("long", "{type: prompt_tuning, prompt_tuning: {num_virtual_tokens: 30}}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run(prepared, Long.MAX_VALUE));
    assertEquals(
        "method.prompt_tuning.num_virtual_tokens: 30 virtual tokens and max_length 8 exceed the"
            + " model's 32 positions (max_position_embeddings)",
        e.getMessage());
  }
}
