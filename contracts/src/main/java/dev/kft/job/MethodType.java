package dev.kft.job;

/** How a job fine-tunes: every parameter, or one of the PEFT methods. */
public enum MethodType implements SpecValue {
  FULL,
  LORA,
  ADAPTER,
  PROMPT_TUNING;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
