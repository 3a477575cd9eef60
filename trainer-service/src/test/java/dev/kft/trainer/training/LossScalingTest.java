package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.SchedulerType;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.Precision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * float16 loss scaling: the scale follows PyTorch {@code GradScaler}'s rules and defaults (init
 * 2^16, doubled after 2,000 clean updates, halved at an overflow); a scaled update equals an
 * unscaled one bit for bit (the scale is a power of two); an overflowing update is skipped, leaving
 * weights, moments and the step count alone; and a model with float16 products trains under it.
 */
@Tag("unit")
class LossScalingTest {

  private static final BertConfig CONFIG = TrainingStepParityTest.config("absolute");

  @Test
  void theScaleFollowsGradScalersRules() {
    LossScaler scaler = LossScaler.dynamic();
    assertEquals(65536.0, scaler.scale());
    for (int i = 1; i < 2000; i++) {
      assertTrue(scaler.update(1.0));
    }
    assertEquals(65536.0, scaler.scale(), "not grown before 2,000 clean updates");
    assertTrue(scaler.update(1.0));
    assertEquals(131072.0, scaler.scale(), "grown at the 2,000th");
    assertFalse(scaler.update(Double.POSITIVE_INFINITY));
    assertFalse(scaler.update(Double.NaN));
    assertEquals(32768.0, scaler.scale(), "halved at each overflow");
    assertEquals(2, scaler.skippedSteps());
    for (int i = 1; i < 2000; i++) {
      scaler.update(1.0);
    }
    assertEquals(32768.0, scaler.scale(), "an overflow restarts the count");
    LossScaler resumed = LossScaler.restored(scaler.state());
    assertTrue(resumed.update(1.0));
    assertEquals(65536.0, resumed.scale(), "a resumed scaler keeps its count");
    assertEquals(2, resumed.skippedSteps());
    LossScaler none = LossScaler.none();
    assertTrue(none.update(Double.NaN));
    assertEquals(1.0, none.scale());
    assertEquals(null, none.state());
  }

  @Test
  void aScaledUpdateEqualsAnUnscaledOne() {
    Map<String, TensorData> start = BertInit.random(CONFIG, 21);
    Run scaled = train(start, Precision.FLOAT32, LossScaler.dynamic(), 3);
    Run plain = train(start, Precision.FLOAT32, LossScaler.none(), 3);
    for (String name : plain.weights().keySet()) {
      assertArrayEquals(plain.weights().get(name), scaled.weights().get(name), name);
    }
  }

  @Test
  void anOverflowingUpdateIsSkipped() {
    Map<String, TensorData> start = BertInit.random(CONFIG, 21);
    LossScaler overflowing =
        LossScaler.restored(new LossScaler.State(Double.POSITIVE_INFINITY, 0, 0));
    Run run = train(start, Precision.FLOAT32, overflowing, 1);
    assertTrue(run.results().get(0).skipped());
    assertEquals(1, overflowing.skippedSteps());
    assertEquals(0, run.optimizerSteps(), "AdamW's step count, and so the schedule, stays");
    for (String name : run.weights().keySet()) {
      assertArrayEquals(start.get(name).values(), run.weights().get(name), name);
    }
    assertTrue(run.gradientsZero(), "the overflowed gradients are not carried into the next");
  }

  @Test
  void float16ProductsTrainUnderLossScaling() {
    Map<String, TensorData> start = BertInit.random(CONFIG, 21);
    Run fp16 = train(start, Precision.FLOAT16, LossScaler.dynamic(), 20);
    Run fp32 = train(start, Precision.FLOAT32, LossScaler.none(), 20);
    double first = fp16.results().get(0).loss();
    double last = fp16.results().get(19).loss();
    assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
    System.out.printf(
        "fp16 under loss scaling: loss %.4f -> %.4f (float32 %.4f), %d skipped, scale %.0f%n",
        first, last, fp32.results().get(19).loss(), fp16.skipped(), fp16.scale());
    for (int s = 0; s < 20; s++) {
      double a = fp16.results().get(s).loss();
      double b = fp32.results().get(s).loss();
      assertTrue(Math.abs(a - b) <= 0.02 * b + 1e-3, "step " + s + ": " + a + " vs " + b);
    }
  }

  private record Run(
      List<TrainingStep.Result> results,
      Map<String, float[]> weights,
      long optimizerSteps,
      boolean gradientsZero,
      long skipped,
      double scale) {}

  private static Run train(
      Map<String, TensorData> start, Precision precision, LossScaler scaler, int steps) {
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(CONFIG, start, manager);
        AdamW optimizer = new AdamW(manager, 0.9, 0.999, 1e-8, 0.0, Set.of())) {
      model.requireGradients(n -> true);
      model.computeIn(precision);
      TrainingStep step =
          new TrainingStep(
              model,
              model.trainableParameters(),
              optimizer,
              new LearningRateSchedule(SchedulerType.CONSTANT, 1e-3, 0, steps),
              1.0,
              scaler);
      TokenizedBatch batch = TrainingStepParityTest.batch();
      List<TrainingStep.Result> results = new ArrayList<>();
      for (int s = 0; s < steps; s++) {
        results.add(step.run(List.of(batch), DropoutMasks.NONE));
      }
      Map<String, float[]> weights = new LinkedHashMap<>();
      boolean zero = true;
      for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
        weights.put(p.getKey(), p.getValue().toFloatArray());
        for (float g : p.getValue().getGradient().toFloatArray()) {
          zero &= g == 0f;
        }
      }
      return new Run(
          results, weights, optimizer.steps(), zero, scaler.skippedSteps(), scaler.scale());
    }
  }
}
