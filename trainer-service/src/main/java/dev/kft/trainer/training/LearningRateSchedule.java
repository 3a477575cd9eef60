package dev.kft.trainer.training;

import dev.kft.job.SchedulerType;

/**
 * The learning rate at each optimizer step, as Hugging Face's {@code get_scheduler} computes it: a
 * linear warmup from 0 over {@code warmupSteps}, then {@code linear} decay to 0 at {@code
 * totalSteps}, {@code cosine} decay to 0 (half a cosine), or a {@code constant} rate ({@code
 * constant} has no warmup). Step {@code k} (from 0) is trained with {@code rate(k)}.
 */
public final class LearningRateSchedule {

  private final SchedulerType type;
  private final double peak;
  private final long warmupSteps;
  private final long totalSteps;

  public LearningRateSchedule(SchedulerType type, double peak, long warmupSteps, long totalSteps) {
    this.type = type;
    this.peak = peak;
    this.warmupSteps = type == SchedulerType.CONSTANT ? 0 : warmupSteps;
    this.totalSteps = totalSteps;
  }

  /**
   * Warmup steps as {@code TrainingArguments.get_warmup_steps} decides: {@code warmup_steps} when
   * positive, else {@code ceil(warmup_ratio * total)}.
   */
  public static long warmupSteps(long warmupSteps, double warmupRatio, long totalSteps) {
    return warmupSteps > 0 ? warmupSteps : (long) Math.ceil(warmupRatio * totalSteps);
  }

  /** The rate for optimizer step {@code step} (0-based). */
  public double rate(long step) {
    if (step < warmupSteps) {
      return peak * step / Math.max(1, warmupSteps);
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    return switch (type) {
      case LINEAR ->
          peak
              * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
      case COSINE -> peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
      case CONSTANT, CONSTANT_WITH_WARMUP -> peak;
    };
  }
}
