package dev.kft.job;

/**
 * The learning-rate schedules of Hugging Face's {@code lr_scheduler_type}: after linear warmup, a
 * linear or cosine decay to zero, or a constant rate ({@code constant} ignores warmup).
 */
public enum SchedulerType implements SpecValue {
  LINEAR,
  COSINE,
  CONSTANT,
  CONSTANT_WITH_WARMUP;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
