package dev.kft.trainer.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.kft.batch.TokenizedBatch;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.Losses;
import dev.kft.nn.ModelInputs;
import dev.kft.nn.NoGrad;
import java.util.List;
import java.util.Map;

/**
 * One optimizer update: forward and backward over each micro-batch with its loss divided by their
 * number (so k micro-batches of n equal one batch of k·n), global-norm clipping, an AdamW step at
 * the schedule's rate, and the gradients zeroed for the next update.
 */
public final class TrainingStep {

  /**
   * What the update did.
   *
   * @param loss mean loss of the micro-batches
   * @param gradNorm global gradient norm before clipping
   * @param learningRate the rate the step used
   */
  public record Result(double loss, double gradNorm, double learningRate) {}

  private final BertClassifier model;
  private final Map<String, NDArray> trainable;
  private final AdamW optimizer;
  private final LearningRateSchedule schedule;
  private final double maxGradNorm;

  public TrainingStep(
      BertClassifier model,
      Map<String, NDArray> trainable,
      AdamW optimizer,
      LearningRateSchedule schedule,
      double maxGradNorm) {
    this.model = model;
    this.trainable = trainable;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.maxGradNorm = maxGradNorm;
  }

  /**
   * Runs one update over {@code microBatches}, their forward passes drawing dropout masks from
   * {@code dropout} in order ({@link DropoutMasks#NONE} for none).
   */
  public Result run(List<TokenizedBatch> microBatches, DropoutMasks dropout) {
    double lossSum = 0;
    try (NDManager step = model.manager().newSubManager()) {
      NDArray share = step.create(1f / microBatches.size());
      for (TokenizedBatch batch : microBatches) {
        try (NDManager micro = step.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(ModelInputs.of(micro, batch), dropout).logits();
          NDArray loss = Losses.crossEntropy(logits, ModelInputs.labels(micro, batch));
          collector.backward(loss.mul(share));
          lossSum += loss.getFloat();
        }
      }
      try (NoGrad noGrad = NoGrad.enter()) {
        double norm = GradientClipping.norm(trainable.values(), step);
        double rate = schedule.rate(optimizer.steps());
        optimizer.step(trainable, rate, GradientClipping.scale(norm, maxGradNorm));
        return new Result(lossSum / microBatches.size(), norm, rate);
      }
    }
  }
}
