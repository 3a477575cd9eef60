package dev.kft.trainer.training;

import dev.kft.job.IntervalStrategy;
import dev.kft.job.TrainingSpec;

/**
 * How many optimizer steps a job runs and where it evaluates and saves, counted as Hugging Face's
 * {@code Trainer} counts: an epoch is {@code floor(train batches / gradient_accumulation_steps)}
 * updates (at least one), and {@code max_steps > 0} overrides the epochs.
 *
 * @param updatesPerEpoch optimizer steps in one pass over the train batches
 * @param totalSteps optimizer steps of the whole job
 * @param warmupSteps steps of linear warmup
 */
public record TrainingPlan(
    int batchesPerEpoch,
    long updatesPerEpoch,
    long totalSteps,
    long warmupSteps,
    TrainingSpec spec) {

  public static TrainingPlan of(TrainingSpec spec, int trainBatches) {
    long perEpoch = Math.max(1, trainBatches / spec.gradientAccumulationSteps());
    long total =
        spec.maxSteps() > 0 ? spec.maxSteps() : (long) Math.ceil(spec.numTrainEpochs() * perEpoch);
    return new TrainingPlan(
        trainBatches,
        perEpoch,
        total,
        LearningRateSchedule.warmupSteps(spec.warmupSteps(), spec.warmupRatio(), total),
        spec);
  }

  /** The epoch, as a fraction, after {@code step} updates. */
  public double epochAt(long step) {
    return (double) step / updatesPerEpoch;
  }

  /** Whether the update that ends at {@code step} (1-based) is an evaluation point. */
  public boolean evaluatesAt(long step) {
    return isPoint(spec.evalStrategy(), spec.evalSteps(), step);
  }

  /**
   * Whether a checkpoint is saved after {@code step}: at save and evaluation points and at the end.
   */
  public boolean savesAt(long step) {
    return step == totalSteps
        || evaluatesAt(step)
        || isPoint(spec.saveStrategy(), spec.saveSteps(), step);
  }

  /** Whether progress is reported after {@code step}. */
  public boolean logsAt(long step) {
    return step % spec.loggingSteps() == 0 || step == totalSteps;
  }

  private boolean isPoint(IntervalStrategy strategy, Long every, long step) {
    return switch (strategy) {
      case STEPS -> every != null && step % every == 0;
      case EPOCH -> step % updatesPerEpoch == 0;
      case NO -> false;
    };
  }
}
