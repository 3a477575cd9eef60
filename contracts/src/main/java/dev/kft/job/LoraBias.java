package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which biases LoRA trains, as PEFT's {@code LoraConfig.bias}: none, all, or those of the adapted
 * modules.
 */
public enum LoraBias implements SpecValue {
  NONE("none"),
  ALL("all"),
  LORA_ONLY("lora_only");

  private final String id;

  LoraBias(String id) {
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
