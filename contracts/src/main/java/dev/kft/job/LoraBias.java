package dev.kft.job;

/**
 * Which biases LoRA trains, as PEFT's {@code LoraConfig.bias}: none, all, or those of the adapted
 * modules.
 */
public enum LoraBias implements SpecValue {
  NONE,
  ALL,
  LORA_ONLY;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
