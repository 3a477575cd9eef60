package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The learning-rate schedules of Hugging Face's {@code lr_scheduler_type}: after linear warmup, a
 * linear or cosine decay to zero, or a constant rate ({@code constant} ignores warmup).
 */
public enum SchedulerType implements SpecValue {
  LINEAR("linear"),
  COSINE("cosine"),
  CONSTANT("constant"),
  CONSTANT_WITH_WARMUP("constant_with_warmup");

  private final String id;

  SchedulerType(String id) {
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
