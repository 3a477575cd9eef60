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
 * the schedule's rate, and the gradients zeroed for the next update. With a float16 {@link
 * LossScaler} the losses are scaled before backward and the gradients unscaled in the step (with
 * the clipping factor); an update whose gradients overflowed is skipped.
 */
public final class TrainingStep {

  /**
   * What the update did.
   *
   * @param loss mean loss of the micro-batches
   * @param gradNorm global gradient norm before clipping
   * @param learningRate the rate the step used
   * @param skipped whether the update was skipped, its gradients infinite or NaN under loss scaling
   */
  public record Result(double loss, double gradNorm, double learningRate, boolean skipped) {}

  private final BertClassifier model;
  private final Map<String, NDArray> trainable;
  private final AdamW optimizer;
  private final LearningRateSchedule schedule;
  private final double maxGradNorm;
  private final LossScaler scaler;

  /** An update without loss scaling. */
  public TrainingStep(
      BertClassifier model,
      Map<String, NDArray> trainable,
      AdamW optimizer,
      LearningRateSchedule schedule,
      double maxGradNorm) {
    this(model, trainable, optimizer, schedule, maxGradNorm, LossScaler.none());
  }

  public TrainingStep(
      BertClassifier model,
      Map<String, NDArray> trainable,
      AdamW optimizer,
      LearningRateSchedule schedule,
      double maxGradNorm,
      LossScaler scaler) {
    this.model = model;
    this.trainable = trainable;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.maxGradNorm = maxGradNorm;
    this.scaler = scaler;
  }

  public LossScaler scaler() {
    return scaler;
  }

  /**
   * Runs one update over {@code microBatches}, their forward passes drawing dropout masks from
   * {@code dropout} in order ({@link DropoutMasks#NONE} for none).
   */
  public Result run(List<TokenizedBatch> microBatches, DropoutMasks dropout) {
    double lossSum = 0;
    // a power of two: scaling and unscaling the gradients is exact unless they overflow
    double scale = scaler.scale();
    try (NDManager step = model.manager().newSubManager()) {
      NDArray share = step.create(1f / microBatches.size());
      for (TokenizedBatch batch : microBatches) {
        try (NDManager micro = step.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(ModelInputs.of(micro, batch), dropout).logits();
          NDArray loss = Losses.crossEntropy(logits, ModelInputs.labels(micro, batch));
          NDArray shared = loss.mul(share);
          collector.backward(scaler.enabled() ? shared.mul((float) scale) : shared);
          lossSum += loss.getFloat();
        }
      }
      try (NoGrad noGrad = NoGrad.enter()) {
        double norm = GradientClipping.norm(trainable.values(), step) / scale;
        double rate = schedule.rate(optimizer.steps());
        if (!scaler.update(norm)) {
          optimizer.skip(trainable);
          return new Result(lossSum / microBatches.size(), norm, rate, true);
        }
        optimizer.step(trainable, rate, GradientClipping.scale(norm, maxGradNorm) / scale);
        return new Result(lossSum / microBatches.size(), norm, rate, false);
      }
    }
  }
}
