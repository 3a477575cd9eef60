package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * When evaluations or saves happen: never, every {@code eval_steps}/{@code save_steps} optimizer
 * steps, or at the end of each epoch (Hugging Face's {@code IntervalStrategy}).
 */
public enum IntervalStrategy implements SpecValue {
  NO("no"),
  STEPS("steps"),
  EPOCH("epoch");

  private final String id;

  IntervalStrategy(String id) {
    this.id = id;
  }

  @JsonValue
  @Override
  public String id() {
    return id;
  }

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id;
  }
}
