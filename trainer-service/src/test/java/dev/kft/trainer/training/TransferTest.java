package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.JobSpecs;
import dev.kft.job.LoraBias;
import dev.kft.job.LoraSpec;
import dev.kft.job.SchedulerType;
import dev.kft.job.TargetModules;
import dev.kft.job.TrainingSpec;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.ModelInputs;
import dev.kft.peft.Lora;
import dev.kft.peft.PeftMethod;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LoRA adapts what a model learned to a new task where training only the head cannot: a tiny BERT
 * fully trained to spot token 9 is then trained to spot token 7, once with LoRA and once with only
 * its classifier, for the same number of steps; LoRA's held-out accuracy is clearly higher.
 */
@Tag("unit")
class TransferTest {

  private static final int STEPS = 600;

  private static TrainingSpec spec(double learningRate, int steps) {
    return JobSpecs.validate(
            JobSpecs.parse(
                """
        model: {source: m}
        dataset: {uri: d.csv}
        registry: {model_name: r}
        training: {learning_rate: %s, warmup_steps: 2, logging_steps: 1000, max_steps: %d,
          seed: 5}
        """
                    .formatted(learningRate, steps)))
        .spec()
        .training();
  }

  /** Trains the parameters {@code trainable} accepts, on the task of {@code token}. */
  private static void train(
      BertClassifier model, Predicate<String> trainable, int token, double rate, int steps)
      throws Exception {
    model.requireGradients(trainable);
    TrainingSpec spec = spec(rate, steps);
    List<TokenizedBatch> data = TrainingRunTest.data(token, 1, 11);
    fit(model, spec, data, 5);
  }

  /**
   * Runs {@code spec}'s training of {@code model}'s trainable parameters on {@code data} with a
   * linear schedule and no reports; {@code seed} draws the dropout masks.
   */
  static void fit(BertClassifier model, TrainingSpec spec, List<TokenizedBatch> data, long seed)
      throws Exception {
    Map<String, NDArray> trained = model.trainableParameters();
    TrainingPlan plan = TrainingPlan.of(spec, data.size());
    try (AdamW optimizer = AdamW.forTraining(model.manager(), spec, trained.keySet())) {
      TrainingStep step =
          new TrainingStep(
              model,
              trained,
              optimizer,
              new LearningRateSchedule(
                  SchedulerType.LINEAR, spec.learningRate(), plan.warmupSteps(), plan.totalSteps()),
              1.0);
      new TrainingRun(
              plan,
              step,
              data,
              seed,
              new TrainingRun.Listener() {
                @Override
                public void progress(TrainingRun.Progress p) {}

                @Override
                public void checkpoint(long s, double e, double l, boolean last) {}
              },
              () -> false)
          .run(0);
    }
  }

  /** Accuracy on 96 rows the model never saw. */
  private static double accuracy(BertClassifier model, int token) {
    long right = 0;
    long rows = 0;
    for (TokenizedBatch b : TrainingRunTest.data(token, 1, 99)) {
      try (NDManager step = model.manager().newSubManager()) {
        long[] predicted =
            model
                .forward(ModelInputs.of(step, b), DropoutMasks.NONE)
                .logits()
                .argMax(1)
                .toLongArray();
        for (int r = 0; r < b.rows(); r++) {
          right += predicted[r] == b.labels()[r] ? 1 : 0;
        }
        rows += b.rows();
      }
    }
    return (double) right / rows;
  }

  /** A model fully trained on token 9, then trained on token 7 as {@code adapt} says. */
  private static double transfer(PeftMethod method, Predicate<String> baseTrainable, double rate)
      throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model =
            BertClassifier.create(
                TrainingRunTest.config(), BertInit.random(TrainingRunTest.config(), 9), manager)) {
      train(model, n -> true, 9, 0.005, 48);
      double before = accuracy(model, 9);
      assertTrue(before > 0.8, "task A learned: " + before);
      Predicate<String> trainable = baseTrainable;
      if (method != null) {
        Map<String, NDArray> p = model.parameters();
        model.extend(
            method.init(
                5, n -> new TensorData(p.get(n).getShape().getShape(), p.get(n).toFloatArray())),
            method::bind);
        trainable = method::trains;
      }
      train(model, trainable, 7, rate, STEPS);
      return accuracy(model, 7);
    }
  }

  @Test
  void loraBeatsTrainingOnlyTheHead() throws Exception {
    Lora lora =
        new Lora(
            new LoraSpec(
                8, 16.0, 0.0, TargetModules.of("query", "value"), LoraBias.NONE, null, false),
            TrainingRunTest.config());
    double withLora = transfer(lora, null, 0.01);
    double headOnly = transfer(null, n -> n.startsWith("classifier."), 0.01);
    System.out.printf(
        "transfer after %d steps: LoRA %.3f, head only %.3f%n", STEPS, withLora, headOnly);
    assertTrue(withLora >= 0.85, "LoRA reached " + withLora);
    assertTrue(withLora >= headOnly + 0.2, "LoRA " + withLora + " vs head only " + headOnly);
  }
}
