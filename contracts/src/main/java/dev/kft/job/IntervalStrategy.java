package dev.kft.job;

/**
 * When evaluations or saves happen: never, every {@code eval_steps}/{@code save_steps} optimizer
 * steps, or at the end of each epoch (Hugging Face's {@code IntervalStrategy}).
 */
public enum IntervalStrategy implements SpecValue {
  NO,
  STEPS,
  EPOCH;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
